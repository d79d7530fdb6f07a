package datasets

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gridline/gridline/internal/testdata"
	"github.com/paulmach/orb"
)

// everywhere is a bound that asks for every sample.
var everywhere = orb.Bound{Min: orb.Point{-180, -90}, Max: orb.Point{180, 90}}

// Each fixture is a window of Andorra's SRTM tile written by GDAL
// (scripts/dem-fixtures) in one of the encodings DEMs come in; read, every
// sample must stand where the tile has it, with the tile's height.
func TestReadGeoTIFFMatchesSRTM(t *testing.T) {
	hgt, err := ReadHGT(testdata.Shared(t, "andorra/N42E001.hgt.zip"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		file string
		w, h int
	}{
		{"andorra-f32-deflate-tiled.tif", 528, 360}, // float32, DEFLATE, predictor 3, tiles of 128
		{"andorra-i16-lzw-strips.tif", 120, 96},     // int16, LZW, predictor 2, strips of 7 rows
		{"andorra-i16-be-area.tif", 120, 96},        // int16 big-endian, uncompressed, pixels as areas
		{"andorra-bigtiff.tif", 120, 96},            // the strips as a BigTIFF: offsets of 8 bytes
		{"andorra-cog.tif", 160, 120},               // cloud-optimised: overviews after it; voids -32768, untagged
	} {
		t.Run(tc.file, func(t *testing.T) {
			d, err := ReadGeoTIFF("testdata/"+tc.file, everywhere)
			if err != nil {
				t.Fatal(err)
			}
			if d.W != tc.w || d.H != tc.h || d.DX != hgt.DX || d.DY != hgt.DY {
				t.Fatalf("%d × %d samples %g° × %g° apart, want %d × %d, %g°", d.W, d.H, d.DX, d.DY, tc.w, tc.h, hgt.DX)
			}
			// Where the window starts in the tile: on a sample, to rounding.
			c0 := (d.West - hgt.West) / hgt.DX
			r0 := (hgt.North - d.North) / hgt.DY
			if math.Abs(c0-math.Round(c0)) > 1e-6 || math.Abs(r0-math.Round(r0)) > 1e-6 {
				t.Fatalf("first sample at column %g, row %g of the tile: between samples", c0, r0)
			}
			differ, voids := 0, 0
			for r := range d.H {
				for c := range d.W {
					got, want := d.At(r, c), hgt.At(int(math.Round(r0))+r, int(math.Round(c0))+c)
					if want != want {
						voids++
					}
					if got != want && !(math.IsNaN(float64(got)) && math.IsNaN(float64(want))) {
						if differ < 5 {
							t.Errorf("sample (%d, %d): %g m, the tile has %g m", r, c, got, want)
						}
						differ++
					}
				}
			}
			if differ > 0 {
				t.Errorf("%d of %d samples differ from the tile", differ, d.W*d.H)
			}
			t.Logf("%d × %d samples, %d of them voids", d.W, d.H, voids)
		})
	}
}

// Files that are no DEM on longitude and latitude are refused with what is
// wrong, never a panic.
func TestReadGeoTIFFRejects(t *testing.T) {
	good, err := os.ReadFile("testdata/andorra-i16-lzw-strips.tif")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	bigTIFF := slices.Clone(good[:16])
	bigTIFF[2] = 43
	for _, tc := range []struct {
		name, path string
		within     orb.Bound
		want       string
	}{
		{"projected", "testdata/andorra-utm31n.tif", everywhere, "projected CRS (EPSG:32631)"},
		{"another datum", "testdata/andorra-ed50.tif", everywhere, "EPSG:4230, not WGS84"},
		{"three bands", "testdata/andorra-3-bands.tif", everywhere, "3 bands"},
		{"plain TIFF", "testdata/andorra-plain.tif", everywhere, "no GeoTIFF keys"},
		{"rotated", "testdata/andorra-rotated.tif", everywhere, "a rotated raster"},
		{"elsewhere", "testdata/andorra-i16-lzw-strips.tif", orb.Bound{Min: orb.Point{-0.2, 51.5}, Max: orb.Point{-0.1, 51.6}}, "not the area asked for"},
		{"truncated", write("cut.tif", good[:len(good)/2]), everywhere, "truncated"},
		{"empty", write("empty.tif", nil), everywhere, "not a TIFF"},
		{"a PNG", write("png.tif", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR")), everywhere, "not a TIFF"},
		{"BigTIFF header on a classic file", write("big.tif", bigTIFF), everywhere, "image directory"},
		{"missing", filepath.Join(dir, "none.tif"), everywhere, "no such file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := ReadGeoTIFF(tc.path, tc.within)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, %v; want an error saying %q", d != nil, err, tc.want)
			}
			if !strings.Contains(err.Error(), filepath.Base(tc.path)) {
				t.Errorf("%q does not name the file", err)
			}
		})
	}
	if _, err := ReadDEM("terrain.asc", everywhere); err == nil || !strings.Contains(err.Error(), "GeoTIFF") {
		t.Errorf("an unknown kind of DEM: %v", err)
	}
}

// Only the samples around the bound are read, and where they stand follows
// from the window.
func TestReadGeoTIFFWindow(t *testing.T) {
	all, err := ReadGeoTIFF("testdata/andorra-f32-deflate-tiled.tif", everywhere)
	if err != nil {
		t.Fatal(err)
	}
	within := orb.Bound{Min: orb.Point{1.55, 42.50}, Max: orb.Point{1.56, 42.51}}
	d, err := ReadGeoTIFF("testdata/andorra-f32-deflate-tiled.tif", within)
	if err != nil {
		t.Fatal(err)
	}
	if b := d.Bound(); !b.Contains(within.Min) || !b.Contains(within.Max) || d.W > 12+2*demMargin+2 || d.H > 12+2*demMargin+2 {
		t.Fatalf("window of %d × %d samples over %v for %v", d.W, d.H, b, within)
	}
	c0 := int(math.Round((d.West - all.West) / all.DX))
	r0 := int(math.Round((all.North - d.North) / all.DY))
	for r := range d.H {
		for c := range d.W {
			if d.At(r, c) != all.At(r0+r, c0+c) {
				t.Fatalf("sample (%d, %d) of the window is %g m, of the whole %g m", r, c, d.At(r, c), all.At(r0+r, c0+c))
			}
		}
	}
}

// FuzzDecodeGeoTIFF feeds the reader mangled GeoTIFFs: it must return a DEM
// or an error, never panic, and hold no more than its limit of samples.
func FuzzDecodeGeoTIFF(f *testing.F) {
	for _, name := range []string{"andorra-i16-lzw-strips.tif", "andorra-i16-be-area.tif", "andorra-cog.tif", "andorra-bigtiff.tif", "andorra-utm31n.tif", "andorra-plain.tif"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := decodeGeoTIFF(bytes.NewReader(b), int64(len(b)), everywhere, 1<<16)
		if err == nil && (len(d.Z) != d.W*d.H || d.W*d.H > 1<<16) {
			t.Errorf("%d samples for %d × %d", len(d.Z), d.W, d.H)
		}
	})
}

// Tiles are joined into one DEM: the west and east halves of the Andorra
// window (one int16 with LZW, one float32 with DEFLATE) give the window
// itself, sample for sample, whether named or matched by a pattern; a tile
// away from the area is left out and counted; tiles off one lattice, or all
// away from the area, are refused.
func TestReadDEMs(t *testing.T) {
	andorra := orb.Bound{Min: orb.Point{1.4135781, 42.4288238}, Max: orb.Point{1.7863837, 42.6559357}}
	whole, err := ReadGeoTIFF("testdata/andorra-f32-deflate-tiled.tif", andorra)
	if err != nil {
		t.Fatal(err)
	}
	halves := []string{"testdata/andorra-west.tif", "testdata/andorra-east.tif"}
	for _, paths := range [][]string{halves, {"testdata/andorra-*st.tif"}} {
		d, src, err := ReadDEMs(paths, andorra)
		if err != nil || len(src.Used) != 2 || len(src.Skipped) != 0 {
			t.Fatalf("%v: %+v, %v", paths, src, err)
		}
		if d.W != whole.W || d.H != whole.H || math.Abs(d.West-whole.West) > 1e-9 || math.Abs(d.North-whole.North) > 1e-9 {
			t.Fatalf("%v: %d × %d samples from (%g, %g), the whole window %d × %d from (%g, %g)", paths, d.W, d.H, d.West, d.North, whole.W, whole.H, whole.West, whole.North)
		}
		same := func(a, b float32) bool { return a == b || a != a && b != b } // voids are NaN
		if !slices.EqualFunc(d.Z, whole.Z, same) {
			t.Errorf("%v: the samples joined differ from the whole window's", paths)
		}
	}

	west := orb.Bound{Min: orb.Point{1.42, 42.45}, Max: orb.Point{1.48, 42.50}}
	if d, src, err := ReadDEMs(halves, west); err != nil || !slices.Equal(src.Skipped, halves[1:]) || d.Bound().Max[0] > 1.5 {
		t.Errorf("the west alone: %+v, %v", src, err)
	}
	london := orb.Bound{Min: orb.Point{-0.2, 51.5}, Max: orb.Point{-0.1, 51.6}}
	if _, _, err := ReadDEMs(halves, london); err == nil || !strings.Contains(err.Error(), "none of the 2 DEM files") {
		t.Errorf("tiles away from the area: %v", err)
	}
	if _, _, err := ReadDEMs([]string{"testdata/nothing-*.tif"}, andorra); err == nil || !strings.Contains(err.Error(), "no file matches") {
		t.Errorf("a pattern that matches nothing: %v", err)
	}
	a, _ := ReadGeoTIFF("testdata/andorra-west.tif", andorra)
	b, _ := ReadGeoTIFF("testdata/andorra-east.tif", andorra)
	b.West += b.DX / 2 // half a sample off the west's lattice
	if _, err := mosaic([]*DEM{a, b}, halves); err == nil || !strings.Contains(err.Error(), "not on the lattice") {
		t.Errorf("tiles off one lattice: %v", err)
	}
}

// Tiles of one lattice but far apart would join into more samples than a
// DEM may hold: refused, not allocated.
func TestMosaicTooLarge(t *testing.T) {
	a, err := ReadGeoTIFF("testdata/andorra-i16-lzw-strips.tif", everywhere)
	if err != nil {
		t.Fatal(err)
	}
	far := *a
	far.West += 100 * 1200 * a.DX // a hundred degrees east and fifty south, on the lattice
	far.North -= 50 * 1200 * a.DY
	if _, err := mosaic([]*DEM{a, &far}, []string{"a", "far"}); err == nil || !strings.Contains(err.Error(), "more than") {
		t.Errorf("tiles 100° and 50° apart: %v", err)
	}
}

// tinyTIFF writes a classic TIFF of one strip, uncompressed: w × h samples
// of the given format and size, each written by put, placed on longitude and
// latitude by a pixel scale and tie point, or by a transformation.
func tinyTIFF(order binary.ByteOrder, w, h int, format, size uint16, put func(b []byte, i int), transform bool) []byte {
	data := make([]byte, w*h*int(size))
	for i := range w * h {
		put(data[i*int(size):], i)
	}
	type entry struct {
		tag, typ uint16
		vals     any // []uint16, []uint32 or []float64
	}
	west, north, step := 1.5, 42.5, 1.0/1200
	entries := []entry{
		{256, 3, []uint16{uint16(w)}}, {257, 3, []uint16{uint16(h)}}, {258, 3, []uint16{size * 8}},
		{259, 3, []uint16{1}}, {273, 4, []uint32{0}}, {277, 3, []uint16{1}}, {278, 3, []uint16{uint16(h)}},
		{279, 4, []uint32{uint32(len(data))}}, {339, 3, []uint16{format}},
	}
	if transform {
		entries = append(entries, entry{34264, 12, []float64{step, 0, 0, west, 0, -step, 0, north, 0, 0, 0, 0, 0, 0, 0, 1}})
	} else {
		entries = append(entries, entry{33550, 12, []float64{step, step, 0}}, entry{33922, 12, []float64{0, 0, 0, west, north, 0}})
	}
	entries = append(entries, entry{34735, 3, []uint16{1, 1, 0, 3, 1024, 0, 1, 2, 1025, 0, 1, 1, 2048, 0, 1, 4326}})
	slices.SortFunc(entries, func(a, b entry) int { return int(a.tag) - int(b.tag) })

	// Header, directory, then the values that do not fit an entry, then
	// the strip.
	var out, extra bytes.Buffer
	ifd := 8
	extraAt := ifd + 2 + 12*len(entries) + 4
	var dir bytes.Buffer
	binary.Write(&dir, order, uint16(len(entries)))
	for _, e := range entries {
		var v bytes.Buffer
		binary.Write(&v, order, e.vals)
		count := map[uint16]int{3: 2, 4: 4, 12: 8}[e.typ]
		binary.Write(&dir, order, e.tag)
		binary.Write(&dir, order, e.typ)
		binary.Write(&dir, order, uint32(v.Len()/count))
		if v.Len() <= 4 {
			dir.Write(append(v.Bytes(), make([]byte, 4-v.Len())...))
		} else {
			binary.Write(&dir, order, uint32(extraAt+extra.Len()))
			extra.Write(v.Bytes())
		}
	}
	binary.Write(&dir, order, uint32(0)) // no next directory
	stripAt := extraAt + extra.Len()
	if order == binary.LittleEndian {
		out.WriteString("II")
	} else {
		out.WriteString("MM")
	}
	binary.Write(&out, order, uint16(42))
	binary.Write(&out, order, uint32(ifd))
	b := append(append(out.Bytes(), dir.Bytes()...), extra.Bytes()...)
	b = append(b, data...)
	// The strip offset was written as 0: now it is known.
	for i := 0; i < len(entries); i++ {
		at := ifd + 2 + 12*i
		if order.Uint16(b[at:]) == 273 {
			order.PutUint32(b[at+8:], uint32(stripAt))
		}
	}
	return b
}

// Every sample format a DEM comes in, in both byte orders, placed by either
// georeference: the heights read are the heights written, where written.
func TestDecodeGeoTIFFSampleFormats(t *testing.T) {
	heights := []float64{-5, 0, 7, 120, 33, 1} // 3 × 2
	for _, order := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
		for _, tc := range []struct {
			name         string
			format, size uint16
			put          func(o binary.ByteOrder) func(b []byte, i int)
			signed       bool
		}{
			{"uint8", 1, 1, func(binary.ByteOrder) func([]byte, int) {
				return func(b []byte, i int) { b[0] = uint8(max(heights[i], 0)) }
			}, false},
			{"int8", 2, 1, func(binary.ByteOrder) func([]byte, int) {
				return func(b []byte, i int) { b[0] = uint8(int8(heights[i])) }
			}, true},
			{"uint16", 1, 2, func(o binary.ByteOrder) func([]byte, int) {
				return func(b []byte, i int) { o.PutUint16(b, uint16(max(heights[i], 0))) }
			}, false},
			{"int32", 2, 4, func(o binary.ByteOrder) func([]byte, int) {
				return func(b []byte, i int) { o.PutUint32(b, uint32(int32(heights[i]))) }
			}, true},
			{"uint32", 1, 4, func(o binary.ByteOrder) func([]byte, int) {
				return func(b []byte, i int) { o.PutUint32(b, uint32(max(heights[i], 0))) }
			}, false},
			{"float64", 3, 8, func(o binary.ByteOrder) func([]byte, int) {
				return func(b []byte, i int) { o.PutUint64(b, math.Float64bits(heights[i])) }
			}, true},
		} {
			for _, transform := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s/%v/transform=%v", tc.name, order, transform), func(t *testing.T) {
					b := tinyTIFF(order, 3, 2, tc.format, tc.size, tc.put(order), transform)
					d, err := DecodeGeoTIFF(bytes.NewReader(b), int64(len(b)), everywhere)
					if err != nil {
						t.Fatal(err)
					}
					if d.W != 3 || d.H != 2 || math.Abs(d.West-(1.5+0.5/1200)) > 1e-12 || math.Abs(d.North-(42.5-0.5/1200)) > 1e-12 {
						t.Fatalf("%d × %d from (%.9f, %.9f)", d.W, d.H, d.West, d.North)
					}
					for i, h := range heights {
						if !tc.signed {
							h = max(h, 0)
						}
						if float64(d.Z[i]) != h {
							t.Errorf("sample %d: %g, wrote %g", i, d.Z[i], h)
						}
					}
				})
			}
		}
	}
}

// A GeoTIFF from elsewhere: Porto Alegre's elevation, as r5r ships it (8-bit
// heights that saturate at 255, strips of 19 rows, 1″, pixels as areas).
// GDAL reads it as 413 × 403 samples from a corner at (-51.254861,
// -29.997639), each 0.000277777777° across.
func TestReadGeoTIFFPortoAlegre(t *testing.T) {
	d, err := ReadGeoTIFF(testdata.Shared(t, "portoalegre/poa_elevation.tif"), everywhere)
	if err != nil {
		t.Fatal(err)
	}
	step := 0.000277777777240
	if d.W != 413 || d.H != 403 || math.Abs(d.DX-step) > 1e-12 ||
		math.Abs(d.West-(-51.254861110999997+step/2)) > 1e-9 || math.Abs(d.North-(-29.997638889000001-d.DY/2)) > 1e-9 {
		t.Fatalf("%d × %d samples %g° apart from (%.9f, %.9f)", d.W, d.H, d.DX, d.West, d.North)
	}
	lo, hi := float32(math.Inf(1)), float32(math.Inf(-1))
	for _, z := range d.Z {
		lo, hi = min(lo, z), max(hi, z)
	}
	if lo != 0 || hi != 255 {
		t.Errorf("heights %g..%g m, want 0..255", lo, hi)
	}
}
