package datasets

import (
	"archive/zip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// DEM is a grid of elevation samples on WGS84 longitude and latitude: W×H
// samples, row 0 northmost, sample (r, c) standing at longitude West + c·DX
// and latitude North − r·DY.
type DEM struct {
	West, North float64 // where sample (0, 0) stands, degrees
	DX, DY      float64 // spacing of samples, degrees
	W, H        int
	Z           []float32 // metres; NaN where there is no data
}

// At returns the elevation at row r, column c.
func (d *DEM) At(r, c int) float32 { return d.Z[r*d.W+c] }

// Bound returns the box that the samples stand in.
func (d *DEM) Bound() orb.Bound {
	return orb.Bound{
		Min: orb.Point{d.West, d.North - float64(d.H-1)*d.DY},
		Max: orb.Point{d.West + float64(d.W-1)*d.DX, d.North},
	}
}

// maxDEMSamples bounds the samples a DEM read may hold (256 MB of float32):
// a county at 30 m is a few million; more is a whole province, to be cut or
// resampled first.
const maxDEMSamples = 1 << 26

// ReadDEM reads terrain by its name: an SRTM tile (.hgt, .hgt.zip), or a
// GeoTIFF (.tif, .tiff) in WGS84 longitude and latitude, of which only the
// samples around within are read.
func ReadDEM(path string, within orb.Bound) (*DEM, error) {
	switch lower := strings.ToLower(path); {
	case strings.HasSuffix(lower, ".tif"), strings.HasSuffix(lower, ".tiff"):
		return ReadGeoTIFF(path, within)
	case strings.HasSuffix(lower, ".hgt"), strings.HasSuffix(lower, ".hgt.zip"):
		return ReadHGT(path)
	}
	return nil, fmt.Errorf("%s: terrain is read from an SRTM tile (.hgt, .hgt.zip) or a GeoTIFF (.tif)", path)
}

// errElsewhere marks a DEM that holds no sample of the area asked for.
var errElsewhere = errors.New("not the area asked for")

// DEMSource names the files a DEM was read from.
type DEMSource struct {
	Used    []string // joined, in this order
	Skipped []string // away from the area asked for
}

// ReadDEMs reads terrain from several files (SRTM tiles, GeoTIFFs) and joins
// them into one DEM: a jurisdiction across a degree line needs two SRTM tiles
// or four. Each path may be a glob pattern (tiles/*.hgt.zip); files that hold
// nothing near within are left out. One file is read as ReadDEM reads it.
func ReadDEMs(paths []string, within orb.Bound) (*DEM, DEMSource, error) {
	var src DEMSource
	var files []string
	for _, p := range paths {
		if !strings.ContainsAny(p, "*?[") {
			files = append(files, p)
			continue
		}
		m, err := filepath.Glob(p)
		if err != nil {
			return nil, src, fmt.Errorf("%s: %w", p, err)
		}
		if len(m) == 0 {
			return nil, src, fmt.Errorf("%s: no file matches", p)
		}
		files = append(files, m...)
	}
	if len(files) == 1 {
		d, err := ReadDEM(files[0], within)
		src.Used = files
		return d, src, err
	}
	var dems []*DEM
	for _, f := range files {
		d, err := ReadDEM(f, within)
		if err == nil {
			d, err = d.crop(within)
		}
		switch {
		case errors.Is(err, errElsewhere):
			src.Skipped = append(src.Skipped, f)
		case err != nil:
			return nil, src, err
		default:
			dems = append(dems, d)
			src.Used = append(src.Used, f)
		}
	}
	if len(dems) == 0 {
		return nil, src, fmt.Errorf("none of the %d DEM files reaches the area asked for (%g..%g°E, %g..%g°N)", len(files), within.Min[0], within.Max[0], within.Min[1], within.Max[1])
	}
	d, err := mosaic(dems, src.Used)
	return d, src, err
}

// crop returns the samples of d that stand within the bound, and demMargin
// around them: d itself when that is all of it (a GeoTIFF is read so).
func (d *DEM) crop(within orb.Bound) (*DEM, error) {
	if !d.Bound().Intersects(within) {
		return nil, errElsewhere
	}
	r0, r1, c0, c1 := d.Window(within, demMargin)
	if r0 == 0 && c0 == 0 && r1 == d.H-1 && c1 == d.W-1 {
		return d, nil
	}
	out := &DEM{
		West: d.West + float64(c0)*d.DX, North: d.North - float64(r0)*d.DY,
		DX: d.DX, DY: d.DY, W: c1 - c0 + 1, H: r1 - r0 + 1,
	}
	out.Z = make([]float32, 0, out.W*out.H)
	for r := r0; r <= r1; r++ {
		out.Z = append(out.Z, d.Z[r*d.W+c0:r*d.W+c1+1]...)
	}
	return out, nil
}

// Window returns the first and last row and column of the samples that stand
// within the bound, and margin samples beyond them, clamped to the DEM. It
// works in floats until clamped: the bound may lie far outside.
func (d *DEM) Window(within orb.Bound, margin int) (r0, r1, c0, c1 int) {
	span := func(lo, hi float64, n int) (int, int) {
		clamp := func(v float64) int { return int(min(max(v, 0), float64(n-1))) }
		return clamp(math.Floor(lo) - float64(margin)), clamp(math.Ceil(hi) + float64(margin))
	}
	c0, c1 = span((within.Min[0]-d.West)/d.DX, (within.Max[0]-d.West)/d.DX, d.W)
	r0, r1 = span((d.North-within.Max[1])/d.DY, (d.North-within.Min[1])/d.DY, d.H)
	return r0, r1, c0, c1
}

// mosaic joins DEMs whose samples stand on one lattice: the same spacing,
// and corners a whole number of samples apart (SRTM tiles; tiles of one
// GeoTIFF product). Where they overlap (SRTM tiles share their edge rows), the
// first with data wins; where none has data, the sample is void.
func mosaic(dems []*DEM, names []string) (*DEM, error) {
	first := dems[0]
	out := &DEM{West: first.West, North: first.North, DX: first.DX, DY: first.DY}
	east, south := first.Bound().Max[0], first.Bound().Min[1]
	onLattice := func(v, step float64) bool { return math.Abs(v/step-math.Round(v/step)) < 1e-3 }
	for i, d := range dems[1:] {
		if math.Abs(d.DX-first.DX) > 1e-9*first.DX || math.Abs(d.DY-first.DY) > 1e-9*first.DY ||
			!onLattice(d.West-first.West, first.DX) || !onLattice(d.North-first.North, first.DY) {
			return nil, fmt.Errorf("%s: samples %g° × %g° apart from (%g, %g) are not on the lattice of %s (%g° × %g° from (%g, %g)); resample them onto one first",
				names[i+1], d.DX, d.DY, d.West, d.North, names[0], first.DX, first.DY, first.West, first.North)
		}
		b := d.Bound()
		out.West, out.North = min(out.West, d.West), max(out.North, d.North)
		east, south = max(east, b.Max[0]), min(south, b.Min[1])
	}
	// Sizes are checked as floats: tiles far apart could make more samples
	// than an int holds.
	w, h := math.Round((east-out.West)/out.DX)+1, math.Round((out.North-south)/out.DY)+1
	if !(w*h <= maxDEMSamples) {
		return nil, fmt.Errorf("the DEM files joined make %.0f × %.0f samples around the area: more than %d; resample them coarser", w, h, maxDEMSamples)
	}
	out.W, out.H = int(w), int(h)
	out.Z = make([]float32, out.W*out.H)
	for i := range out.Z {
		out.Z[i] = float32(math.NaN())
	}
	for _, d := range dems {
		c0 := int(math.Round((d.West - out.West) / out.DX))
		r0 := int(math.Round((out.North - d.North) / out.DY))
		for r := range d.H {
			row := out.Z[(r0+r)*out.W+c0:]
			for c, v := range d.Z[r*d.W : (r+1)*d.W] {
				if math.IsNaN(float64(row[c])) {
					row[c] = v
				}
			}
		}
	}
	return out, nil
}

// srtmVoid marks an SRTM sample with no data.
const srtmVoid = math.MinInt16

var hgtName = regexp.MustCompile(`(?i)([NS])(\d{2})([EW])(\d{3})`)

// SRTMTile returns the position an SRTM tile's file name gives it, as
// N42E001, or "" when the name gives none. A copy of the tile must keep it in
// its name: ReadHGT places the tile by it.
func SRTMTile(name string) string {
	return hgtName.FindString(filepath.Base(name))
}

// ReadHGT reads an SRTM tile, .hgt or .hgt.zip. Its position comes from its
// name (N42E001: 42°N, 1°E at the south-west corner).
func ReadHGT(path string) (*DEM, error) {
	m := hgtName.FindStringSubmatch(filepath.Base(path))
	if m == nil {
		return nil, fmt.Errorf("%s: an SRTM tile is named like N42E001.hgt", path)
	}
	lat, _ := strconv.Atoi(m[2])
	lon, _ := strconv.Atoi(m[4])
	if strings.EqualFold(m[1], "S") {
		lat = -lat
	}
	if strings.EqualFold(m[3], "W") {
		lon = -lon
	}
	var data []byte
	var err error
	if strings.HasSuffix(strings.ToLower(path), ".zip") {
		data, err = readZippedHGT(path)
	} else {
		data, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var n int
	switch len(data) {
	case 1201 * 1201 * 2:
		n = 1201
	case 3601 * 3601 * 2:
		n = 3601
	default:
		return nil, fmt.Errorf("%s: %d bytes is neither an SRTM3 (1201²) nor an SRTM1 (3601²) tile: truncated?", path, len(data))
	}
	step := 1 / float64(n-1)
	d := &DEM{West: float64(lon), North: float64(lat) + 1, DX: step, DY: step, W: n, H: n, Z: make([]float32, n*n)}
	for i := range d.Z {
		if v := int16(binary.BigEndian.Uint16(data[2*i:])); v == srtmVoid {
			d.Z[i] = float32(math.NaN())
		} else {
			d.Z[i] = float32(v)
		}
	}
	return d, nil
}

func readZippedHGT(path string) ([]byte, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	for _, f := range zr.File {
		if strings.HasSuffix(strings.ToLower(f.Name), ".hgt") {
			rc, err := f.Open()
			if err != nil {
				return nil, err
			}
			defer rc.Close()
			return io.ReadAll(io.LimitReader(rc, 3601*3601*2+1))
		}
	}
	return nil, fmt.Errorf("no .hgt file inside the zip")
}
