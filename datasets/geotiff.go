package datasets

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"golang.org/x/image/tiff/lzw"
)

// A GeoTIFF DEM is read here rather than through GDAL: what a DEM needs of
// TIFF (one band of integers or floats, in strips or tiles, uncompressed,
// DEFLATE or LZW, with or without a predictor) and of GeoTIFF (a pixel scale
// and tie point, or a transform without rotation, on a geographic CRS) is a
// small part of either, and GDAL would make every build depend on a large C
// library for an optional flag. LZW is x/image's reader for TIFF's variant.

// Heights outside lowestGround..highestGround are voids whatever the file
// declares: no ground on Earth lies there, and it is where files without a
// no-data tag put their voids (-32768, -9999, -3.4e38).
const (
	lowestGround  = -12000.0 // metres; the Challenger Deep is -10,935
	highestGround = 9000.0   // Everest is 8,849
)

// demMargin is how many samples around the bound asked for are read, for the
// terrain analysis to see past the edge.
const demMargin = 8

// wgs84Like are the geographic CRSs accepted as WGS84: each within a metre or
// two of it (ETRS89, NAD83, GDA94, CGCS2000, GDA2020), far less than a DEM
// sample.
var wgs84Like = []uint64{4326, 4258, 4269, 4283, 4490, 7844}

// TIFF tags and GeoTIFF keys read here.
const (
	tagImageWidth      = 256
	tagImageLength     = 257
	tagBitsPerSample   = 258
	tagCompression     = 259
	tagStripOffsets    = 273
	tagSamplesPerPixel = 277
	tagRowsPerStrip    = 278
	tagStripByteCounts = 279
	tagPredictor       = 317
	tagTileWidth       = 322
	tagTileLength      = 323
	tagTileOffsets     = 324
	tagTileByteCounts  = 325
	tagSampleFormat    = 339
	tagPixelScale      = 33550
	tagTiepoint        = 33922
	tagTransformation  = 34264
	tagGeoKeys         = 34735
	tagGDALNoData      = 42113

	keyModelType      = 1024
	keyRasterType     = 1025
	keyGeographicType = 2048
	keyProjectedType  = 3072
)

// ReadGeoTIFF reads the samples of a single-band GeoTIFF DEM that stand
// within the bound, and demMargin samples around it. The GeoTIFF must be on
// longitude and latitude (WGS84 or a datum within a metre or two of it).
func ReadGeoTIFF(path string, within orb.Bound) (*DEM, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	d, err := DecodeGeoTIFF(f, st.Size(), within)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return d, nil
}

// DecodeGeoTIFF is ReadGeoTIFF on the size bytes of r.
func DecodeGeoTIFF(r io.ReaderAt, size int64, within orb.Bound) (*DEM, error) {
	return decodeGeoTIFF(r, size, within, maxDEMSamples)
}

// decodeGeoTIFF is DecodeGeoTIFF holding at most limit samples at once,
// whether of the DEM or of one strip or tile.
func decodeGeoTIFF(r io.ReaderAt, size int64, within orb.Bound, limit int64) (*DEM, error) {
	t, err := openTIFF(r, size)
	if err != nil {
		return nil, err
	}
	ras, err := t.raster(limit)
	if err != nil {
		return nil, err
	}
	geo, err := t.georeference()
	if err != nil {
		return nil, err
	}
	win, err := geo.window(ras.w, ras.h, within, limit)
	if err != nil {
		return nil, err
	}
	return t.read(ras, geo, win)
}

// tiffFile is an open classic TIFF and its first image's tags.
type tiffFile struct {
	r     io.ReaderAt
	size  int64
	order binary.ByteOrder
	big   bool // a BigTIFF: offsets and counts of 8 bytes
	tags  map[uint16]tiffEntry
}

// tiffEntry is one tag of an image file directory, its value still raw.
type tiffEntry struct {
	typ   uint16
	count uint64
	value [8]byte // the value itself if it fits, else its offset
}

// offset reads a file offset: 8 bytes in a BigTIFF, 4 in a classic one.
func (t *tiffFile) offset(b []byte) int64 {
	if t.big {
		return int64(min(t.order.Uint64(b), math.MaxInt64))
	}
	return int64(t.order.Uint32(b))
}

func openTIFF(r io.ReaderAt, size int64) (*tiffFile, error) {
	t := &tiffFile{r: r, size: size, tags: map[uint16]tiffEntry{}}
	var hdr [16]byte
	if _, err := r.ReadAt(hdr[:8], 0); err != nil {
		return nil, fmt.Errorf("not a TIFF: %d bytes", size)
	}
	switch string(hdr[:2]) {
	case "II":
		t.order = binary.LittleEndian
	case "MM":
		t.order = binary.BigEndian
	default:
		return nil, errors.New("not a TIFF: it starts with neither II nor MM")
	}
	// Where the first image's directory is, how many entries it has, and
	// how long each is.
	var ifd, count int64
	entry := int64(12)
	switch t.order.Uint16(hdr[2:]) {
	case 42:
		ifd = t.offset(hdr[4:])
		n, err := t.bytes(ifd, 2)
		if err != nil {
			return nil, fmt.Errorf("image directory: %w", err)
		}
		ifd, count = ifd+2, int64(t.order.Uint16(n))
	case 43:
		t.big, entry = true, 20
		if _, err := r.ReadAt(hdr[8:], 8); err != nil || t.order.Uint16(hdr[4:]) != 8 {
			return nil, errors.New("not a BigTIFF: no offsets of 8 bytes after its version")
		}
		ifd = t.offset(hdr[8:])
		n, err := t.bytes(ifd, 8)
		if err != nil {
			return nil, fmt.Errorf("image directory: %w", err)
		}
		ifd, count = ifd+8, int64(min(t.order.Uint64(n), uint64(size)))
	default:
		return nil, errors.New("not a TIFF: no 42 after the byte order")
	}
	entries, err := t.bytes(ifd, entry*count)
	if err != nil {
		return nil, fmt.Errorf("image directory: %w", err)
	}
	for e := entries; int64(len(e)) >= entry; e = e[entry:] {
		te := tiffEntry{typ: t.order.Uint16(e[2:])}
		if t.big {
			te.count = t.order.Uint64(e[4:])
			copy(te.value[:], e[12:20])
		} else {
			te.count = uint64(t.order.Uint32(e[4:]))
			copy(te.value[:], e[8:12])
		}
		t.tags[t.order.Uint16(e)] = te
	}
	return t, nil
}

// bytes reads n bytes at off, which must lie inside the file.
func (t *tiffFile) bytes(off, n int64) ([]byte, error) {
	if off < 0 || n < 0 || off > t.size || n > t.size-off {
		return nil, fmt.Errorf("%d bytes at %d run past the end of the file (%d bytes): truncated?", n, off, t.size)
	}
	b := make([]byte, n)
	if _, err := t.r.ReadAt(b, off); err != nil && !(errors.Is(err, io.EOF) && n == 0) {
		return nil, err
	}
	return b, nil
}

// tiffTypeSize is the size in bytes of each TIFF field type.
var tiffTypeSize = map[uint16]int64{1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 16: 8, 17: 8, 18: 8}

// raw returns the bytes of a tag's value.
func (t *tiffFile) raw(tag uint16) ([]byte, uint16, error) {
	e, ok := t.tags[tag]
	if !ok {
		return nil, 0, nil
	}
	size, ok := tiffTypeSize[e.typ]
	if !ok {
		return nil, 0, fmt.Errorf("tag %d has an unknown type %d", tag, e.typ)
	}
	if e.count > uint64(t.size) {
		return nil, 0, fmt.Errorf("tag %d: %d values in a file of %d bytes", tag, e.count, t.size)
	}
	n := size * int64(e.count)
	if inline := int64(4); n <= inline || t.big && n <= 2*inline {
		return e.value[:n], e.typ, nil
	}
	b, err := t.bytes(t.offset(e.value[:]), n)
	if err != nil {
		return nil, 0, fmt.Errorf("tag %d: %w", tag, err)
	}
	return b, e.typ, nil
}

// ints returns an integer tag's values, nil when the tag is absent.
func (t *tiffFile) ints(tag uint16) ([]uint64, error) {
	b, typ, err := t.raw(tag)
	if err != nil || b == nil {
		return nil, err
	}
	var out []uint64
	switch typ {
	case 1:
		for _, v := range b {
			out = append(out, uint64(v))
		}
	case 3:
		for ; len(b) >= 2; b = b[2:] {
			out = append(out, uint64(t.order.Uint16(b)))
		}
	case 4:
		for ; len(b) >= 4; b = b[4:] {
			out = append(out, uint64(t.order.Uint32(b)))
		}
	case 16: // LONG8, a BigTIFF's offsets and counts
		for ; len(b) >= 8; b = b[8:] {
			out = append(out, t.order.Uint64(b))
		}
	default:
		return nil, fmt.Errorf("tag %d: type %d where an integer was expected", tag, typ)
	}
	return out, nil
}

// one returns an integer tag's single value, or def when it is absent. A tag
// with one value per sample (BitsPerSample) gives its first.
func (t *tiffFile) one(tag uint16, def uint64) (uint64, error) {
	v, err := t.ints(tag)
	switch {
	case err != nil:
		return 0, err
	case len(v) == 0:
		return def, nil
	}
	return v[0], nil
}

// extent returns the values of a width tag and a length tag, 0 where absent.
func (t *tiffFile) extent(widthTag, lengthTag uint16) (w, l uint64, err error) {
	if w, err = t.one(widthTag, 0); err != nil {
		return 0, 0, err
	}
	l, err = t.one(lengthTag, 0)
	return w, l, err
}

// doubles returns a DOUBLE tag's values, nil when the tag is absent.
func (t *tiffFile) doubles(tag uint16) ([]float64, error) {
	b, typ, err := t.raw(tag)
	if err != nil || b == nil {
		return nil, err
	}
	if typ != 12 {
		return nil, fmt.Errorf("tag %d: type %d where doubles were expected", tag, typ)
	}
	out := make([]float64, 0, len(b)/8)
	for ; len(b) >= 8; b = b[8:] {
		out = append(out, math.Float64frombits(t.order.Uint64(b)))
	}
	return out, nil
}

// tiffRaster is how an image's samples are laid out and encoded.
type tiffRaster struct {
	w, h         int // samples
	cw, ch       int // a chunk (strip or tile), in samples
	tiled        bool
	offsets      []uint64
	counts       []uint64
	bytes        int    // per sample
	format       uint64 // 1 unsigned, 2 signed, 3 float
	compression  uint64
	predictor    uint64
	noData       float64
	hasNoData    bool
	sampleOrder  binary.ByteOrder // of samples once decoded
	chunksAcross int
}

func (t *tiffFile) raster(limit int64) (*tiffRaster, error) {
	var ras tiffRaster
	w, h, err := t.extent(tagImageWidth, tagImageLength)
	if err != nil {
		return nil, err
	}
	if w == 0 || h == 0 || w > math.MaxInt32 || h > math.MaxInt32 {
		return nil, fmt.Errorf("image of %d × %d samples", w, h)
	}
	ras.w, ras.h = int(w), int(h)
	spp, err := t.one(tagSamplesPerPixel, 1)
	if err != nil {
		return nil, err
	}
	if spp != 1 {
		return nil, fmt.Errorf("%d bands: a DEM has one", spp)
	}
	bits, err := t.one(tagBitsPerSample, 1)
	if err != nil {
		return nil, err
	}
	if ras.format, err = t.one(tagSampleFormat, 1); err != nil {
		return nil, err
	}
	switch {
	case (ras.format == 1 || ras.format == 2) && (bits == 8 || bits == 16 || bits == 32),
		ras.format == 3 && (bits == 32 || bits == 64):
		ras.bytes = int(bits / 8)
	default:
		return nil, fmt.Errorf("samples of %d bits in format %d: a DEM is read from 8, 16 or 32-bit integers or 32 or 64-bit floats", bits, ras.format)
	}
	if ras.compression, err = t.one(tagCompression, 1); err != nil {
		return nil, err
	}
	switch ras.compression {
	case 1, 5, 8, 32946:
	default:
		return nil, fmt.Errorf("compression %d: a DEM is read uncompressed, or compressed with DEFLATE or LZW", ras.compression)
	}
	if ras.predictor, err = t.one(tagPredictor, 1); err != nil {
		return nil, err
	}
	ras.sampleOrder = t.order
	switch {
	case ras.predictor == 1:
	case ras.predictor == 2 && ras.format != 3:
	case ras.predictor == 3 && ras.format == 3:
		ras.sampleOrder = binary.BigEndian // the predictor lays out bytes most significant first
	default:
		return nil, fmt.Errorf("predictor %d on samples of format %d", ras.predictor, ras.format)
	}

	if _, ok := t.tags[tagTileWidth]; ok {
		ras.tiled = true
		tw, tl, err := t.extent(tagTileWidth, tagTileLength)
		if err != nil {
			return nil, err
		}
		if tw == 0 || tl == 0 || tw > uint64(limit) || tl > uint64(limit) {
			return nil, fmt.Errorf("tiles of %d × %d samples", tw, tl)
		}
		ras.cw, ras.ch = int(tw), int(tl)
		if ras.offsets, err = t.ints(tagTileOffsets); err != nil {
			return nil, err
		}
		if ras.counts, err = t.ints(tagTileByteCounts); err != nil {
			return nil, err
		}
	} else {
		rps, err := t.one(tagRowsPerStrip, h)
		if err != nil {
			return nil, err
		}
		ras.cw, ras.ch = ras.w, int(min(max(rps, 1), h))
		if ras.offsets, err = t.ints(tagStripOffsets); err != nil {
			return nil, err
		}
		if ras.counts, err = t.ints(tagStripByteCounts); err != nil {
			return nil, err
		}
	}
	if int64(ras.cw)*int64(ras.ch) > limit {
		return nil, fmt.Errorf("strips or tiles of %d × %d samples: more than %d each", ras.cw, ras.ch, limit)
	}
	ras.chunksAcross = (ras.w + ras.cw - 1) / ras.cw
	chunks := ras.chunksAcross * ((ras.h + ras.ch - 1) / ras.ch)
	if len(ras.offsets) != chunks || len(ras.counts) != chunks {
		return nil, fmt.Errorf("%d offsets and %d byte counts for %d strips or tiles", len(ras.offsets), len(ras.counts), chunks)
	}

	if b, typ, err := t.raw(tagGDALNoData); err != nil {
		return nil, err
	} else if b != nil && typ == 2 {
		s := strings.TrimSpace(strings.TrimRight(string(b), "\x00"))
		if ras.noData, err = strconv.ParseFloat(s, 64); err != nil {
			return nil, fmt.Errorf("no-data value %q: %w", s, err)
		}
		ras.hasNoData = true
	}
	return &ras, nil
}

// tiffGeo places samples on longitude and latitude: sample (r, c) stands at
// (x0 + c·sx, y0 − r·sy).
type tiffGeo struct {
	x0, y0, sx, sy float64
}

func (t *tiffFile) georeference() (*tiffGeo, error) {
	keys, err := t.geoKeys()
	if err != nil {
		return nil, err
	}
	switch keys[keyModelType] {
	case 2: // geographic
	case 1:
		return nil, fmt.Errorf("a projected CRS (EPSG:%d): terrain is read on WGS84 longitude and latitude; reproject it, e.g. gdalwarp -t_srs EPSG:4326", keys[keyProjectedType])
	case 0:
		return nil, errors.New("no GeoTIFF model type: its coordinate system is unknown")
	default:
		return nil, fmt.Errorf("GeoTIFF model type %d: terrain is read on WGS84 longitude and latitude", keys[keyModelType])
	}
	if crs := keys[keyGeographicType]; !slices.Contains(wgs84Like, crs) {
		return nil, fmt.Errorf("geographic CRS EPSG:%d, not WGS84 (EPSG:4326) or a datum within a metre or two of it; reproject it, e.g. gdalwarp -t_srs EPSG:4326", crs)
	}
	var g tiffGeo
	scale, err := t.doubles(tagPixelScale)
	if err != nil {
		return nil, err
	}
	tie, err := t.doubles(tagTiepoint)
	if err != nil {
		return nil, err
	}
	m, err := t.doubles(tagTransformation)
	if err != nil {
		return nil, err
	}
	switch {
	case len(scale) >= 2 && len(tie) >= 6:
		g.sx, g.sy = scale[0], scale[1]
		g.x0, g.y0 = tie[3]-tie[0]*g.sx, tie[4]+tie[1]*g.sy
	case len(m) == 16:
		if m[1] != 0 || m[4] != 0 {
			return nil, errors.New("a rotated raster: resample it north up first")
		}
		g.sx, g.sy, g.x0, g.y0 = m[0], -m[5], m[3], m[7]
	default:
		return nil, errors.New("no pixel scale and tie point, nor a transformation: the samples have no place")
	}
	if !(g.sx > 0 && g.sy > 0) {
		return nil, fmt.Errorf("samples %g° by %g° apart: want positive, rows from north to south", g.sx, g.sy)
	}
	if keys[keyRasterType] != 2 { // pixels are areas: their samples stand at their centres
		g.x0 += g.sx / 2
		g.y0 -= g.sy / 2
	}
	if !(math.Abs(g.x0) <= 360 && math.Abs(g.y0) <= 90.01) {
		return nil, fmt.Errorf("first sample at (%g, %g): not longitude and latitude", g.x0, g.y0)
	}
	return &g, nil
}

// geoKeys returns the GeoTIFF keys with a value of their own (which are all
// the ones read here).
func (t *tiffFile) geoKeys() (map[uint64]uint64, error) {
	dir, err := t.ints(tagGeoKeys)
	if err != nil {
		return nil, err
	}
	if len(dir) < 4 {
		return nil, errors.New("no GeoTIFF keys: a plain TIFF, whose coordinate system is unknown")
	}
	keys := map[uint64]uint64{}
	for k := dir[4:]; len(k) >= 4; k = k[4:] {
		if k[1] == 0 && k[2] == 1 {
			keys[k[0]] = k[3]
		}
	}
	return keys, nil
}

// tiffWindow is the rows and columns of samples to read, inclusive.
type tiffWindow struct{ r0, r1, c0, c1 int }

// window returns the samples of a w × h raster that stand within the bound,
// and demMargin around them: at most limit.
func (g *tiffGeo) window(w, h int, within orb.Bound, limit int64) (tiffWindow, error) {
	east, south := g.x0+float64(w-1)*g.sx, g.y0-float64(h-1)*g.sy
	if !(within.Max[0] >= g.x0 && within.Min[0] <= east && within.Max[1] >= south && within.Min[1] <= g.y0) {
		return tiffWindow{}, fmt.Errorf("%w: it covers %g..%g°E, %g..%g°N, the area %g..%g°E, %g..%g°N",
			errElsewhere, g.x0, east, south, g.y0, within.Min[0], within.Max[0], within.Min[1], within.Max[1])
	}
	var win tiffWindow
	whole := DEM{West: g.x0, North: g.y0, DX: g.sx, DY: g.sy, W: w, H: h} // its samples not read yet
	win.r0, win.r1, win.c0, win.c1 = whole.Window(within, demMargin)
	if n := int64(win.c1-win.c0+1) * int64(win.r1-win.r0+1); n > limit {
		return tiffWindow{}, fmt.Errorf("%d samples around the area asked for: more than %d; resample or cut it first", n, limit)
	}
	return win, nil
}

// read decodes the strips or tiles that the window touches into a DEM.
func (t *tiffFile) read(ras *tiffRaster, g *tiffGeo, win tiffWindow) (*DEM, error) {
	d := &DEM{
		West: g.x0 + float64(win.c0)*g.sx, North: g.y0 - float64(win.r0)*g.sy,
		DX: g.sx, DY: g.sy, W: win.c1 - win.c0 + 1, H: win.r1 - win.r0 + 1,
	}
	d.Z = make([]float32, d.W*d.H)
	sample := ras.decoder()
	for cr := win.r0 / ras.ch; cr <= win.r1/ras.ch; cr++ {
		for cc := win.c0 / ras.cw; cc <= win.c1/ras.cw; cc++ {
			i := cr*ras.chunksAcross + cc
			rows := ras.ch
			if !ras.tiled {
				rows = min(ras.ch, ras.h-cr*ras.ch) // the last strip may be short
			}
			data, err := t.chunk(ras, i, rows)
			if err != nil {
				return nil, fmt.Errorf("strip or tile %d: %w", i, err)
			}
			for r := max(win.r0, cr*ras.ch); r <= min(win.r1, cr*ras.ch+rows-1); r++ {
				row := data[(r-cr*ras.ch)*ras.cw*ras.bytes:]
				for c := max(win.c0, cc*ras.cw); c <= min(win.c1, cc*ras.cw+ras.cw-1); c++ {
					v := sample(row[(c-cc*ras.cw)*ras.bytes:])
					if ras.hasNoData && v == ras.noData || !(v >= lowestGround && v <= highestGround) {
						v = math.NaN()
					}
					d.Z[(r-win.r0)*d.W+c-win.c0] = float32(v)
				}
			}
		}
	}
	return d, nil
}

// chunk reads, decompresses and undoes the predictor of strip or tile i,
// which holds rows rows of ras.cw samples.
func (t *tiffFile) chunk(ras *tiffRaster, i, rows int) ([]byte, error) {
	if ras.counts[i] > uint64(t.size) {
		return nil, fmt.Errorf("%d bytes in a file of %d", ras.counts[i], t.size)
	}
	raw, err := t.bytes(int64(ras.offsets[i]), int64(ras.counts[i]))
	if err != nil {
		return nil, err
	}
	rowBytes := ras.cw * ras.bytes
	data := make([]byte, rows*rowBytes)
	var rd io.Reader
	switch ras.compression {
	case 1:
		rd = bytes.NewReader(raw)
	case 5:
		rd = lzw.NewReader(bytes.NewReader(raw), lzw.MSB, 8)
	default: // 8, 32946: DEFLATE in a zlib stream
		zr, err := zlib.NewReader(bytes.NewReader(raw))
		if err != nil {
			return nil, fmt.Errorf("DEFLATE: %w", err)
		}
		rd = zr
	}
	if n, err := io.ReadFull(rd, data); err != nil {
		return nil, fmt.Errorf("%d of %d bytes decode (%w): truncated?", n, len(data), err)
	}
	for r := range rows {
		row := data[r*rowBytes : (r+1)*rowBytes]
		switch ras.predictor {
		case 2:
			undoHorizontal(row, ras.bytes, t.order)
		case 3:
			undoFloatPredictor(row, ras.bytes)
		}
	}
	return data, nil
}

// undoHorizontal undoes TIFF predictor 2: each sample is stored as its
// difference from the one before it in the row.
func undoHorizontal(row []byte, size int, order binary.ByteOrder) {
	switch size {
	case 1:
		for k := 1; k < len(row); k++ {
			row[k] += row[k-1]
		}
	case 2:
		for k := 2; k+2 <= len(row); k += 2 {
			order.PutUint16(row[k:], order.Uint16(row[k:])+order.Uint16(row[k-2:]))
		}
	case 4:
		for k := 4; k+4 <= len(row); k += 4 {
			order.PutUint32(row[k:], order.Uint32(row[k:])+order.Uint32(row[k-4:]))
		}
	}
}

// undoFloatPredictor undoes TIFF predictor 3 (Adobe's technical note 3):
// the row's bytes are differenced one from the next, after being laid out as
// the most significant byte of every sample, then the next, and so on. It
// leaves the samples big-endian.
func undoFloatPredictor(row []byte, size int) {
	undoHorizontal(row, 1, nil) // byte from byte, as predictor 2 on bytes
	planes := slices.Clone(row)
	n := len(row) / size
	for s := range n {
		for b := range size {
			row[s*size+b] = planes[b*n+s]
		}
	}
}

// decoder returns the function that reads one decoded sample.
func (ras *tiffRaster) decoder() func([]byte) float64 {
	o := ras.sampleOrder
	switch {
	case ras.format == 3 && ras.bytes == 4:
		return func(b []byte) float64 { return float64(math.Float32frombits(o.Uint32(b))) }
	case ras.format == 3:
		return func(b []byte) float64 { return math.Float64frombits(o.Uint64(b)) }
	case ras.format == 2 && ras.bytes == 1:
		return func(b []byte) float64 { return float64(int8(b[0])) }
	case ras.format == 2 && ras.bytes == 2:
		return func(b []byte) float64 { return float64(int16(o.Uint16(b))) }
	case ras.format == 2:
		return func(b []byte) float64 { return float64(int32(o.Uint32(b))) }
	case ras.bytes == 1:
		return func(b []byte) float64 { return float64(b[0]) }
	case ras.bytes == 2:
		return func(b []byte) float64 { return float64(o.Uint16(b)) }
	}
	return func(b []byte) float64 { return float64(o.Uint32(b)) }
}
