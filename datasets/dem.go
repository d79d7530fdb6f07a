package datasets

import (
	"archive/zip"
	"encoding/binary"
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
