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
)

// DEM is an SRTM elevation tile: N×N samples, row 0 at the north edge.
type DEM struct {
	South, West float64 // the tile's south-west corner, degrees
	N           int     // samples per side (1201 for SRTM3, 3601 for SRTM1)
	Z           []int16 // metres; Void where there is no data
}

// Void marks an SRTM sample with no data.
const Void = math.MinInt16

// Step is the spacing of samples in degrees.
func (d *DEM) Step() float64 { return 1 / float64(d.N-1) }

// At returns the elevation at row r, column c.
func (d *DEM) At(r, c int) int16 { return d.Z[r*d.N+c] }

var hgtName = regexp.MustCompile(`(?i)([NS])(\d{2})([EW])(\d{3})`)

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
	d := &DEM{South: float64(lat), West: float64(lon), N: n, Z: make([]int16, n*n)}
	for i := range d.Z {
		d.Z[i] = int16(binary.BigEndian.Uint16(data[2*i:]))
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
