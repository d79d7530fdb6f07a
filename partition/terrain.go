package partition

import (
	"context"
	"errors"

	"github.com/gridline/gridline/datasets"
	"github.com/paulmach/orb"
)

func terrainBarriers(ctx context.Context, path string, area orb.MultiPolygon) ([]datasets.Barrier, error) {
	return nil, errors.New("terrain is not supported yet")
}
