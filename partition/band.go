package partition

import (
	"errors"
	"fmt"
)

// Band is the number of households a grid should hold.
type Band struct {
	Min, Max int
	// Target, if not zero, is the preferred size: among grids that all keep the
	// band, sizes near Target are preferred.
	Target int
}

// DefaultBand is the common 200–500 households.
var DefaultBand = Band{Min: 200, Max: 500}

// Validate reports what is wrong with a band.
func (b Band) Validate() error {
	switch {
	case b.Min < 1:
		return fmt.Errorf("band: min %d: must be at least 1", b.Min)
	case b.Max < b.Min:
		return fmt.Errorf("band: max %d is below min %d", b.Max, b.Min)
	case b.Max > 100000:
		return errors.New("band: max above 100000 households is not a grid")
	case b.Target != 0 && (b.Target < b.Min || b.Target > b.Max):
		return fmt.Errorf("band: target %d is outside [%d, %d]", b.Target, b.Min, b.Max)
	}
	return nil
}

// Contains reports whether h households are within the band.
func (b Band) Contains(h int) bool { return h >= b.Min && h <= b.Max }

// Allows reports whether a grid of h households in n blocks keeps to the
// band: it is within it, or it is one block above Max, which no partition
// into whole blocks could split.
func (b Band) Allows(h, n int) bool { return b.Contains(h) || (n == 1 && h > b.Max) }

// Counts returns the grid counts m with m·Min ≤ total ≤ m·Max; ok is false
// when there is none (the total cannot be divided within the band).
func (b Band) Counts(total int) (lo, hi int, ok bool) {
	lo = (total + b.Max - 1) / b.Max
	hi = total / b.Min
	if lo < 1 {
		lo = 1
	}
	return lo, hi, lo <= hi
}
