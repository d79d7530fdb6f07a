package api

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/gridline/gridline/datasets"
	"github.com/gridline/gridline/partition"
	"github.com/gridline/gridline/store"
	"github.com/labstack/echo/v4"
)

// uploadBody caps an uploaded jurisdiction: OSM extracts of a city run to
// hundreds of megabytes.
const uploadBody = "1G"

// uploadFiles are the files an import takes, by form field, as the partition
// command's flags name them.
var uploadFiles = []string{"boundary", "osm", "dem", "households", "household_areas", "units", "communities", "townships"}

// postJurisdiction imports a jurisdiction from uploaded files (multipart
// form: id, name, partition, min, max, seed, and the files), as
// `gridline import` does, in a background job: 202 with the job's URL.
func (s *Server) postJurisdiction(c echo.Context) error {
	id := c.FormValue("id")
	if id == "" {
		return unprocessable("the form needs an id for the jurisdiction")
	}
	js, err := s.store.Jurisdictions(c.Request().Context())
	if err != nil {
		return err
	}
	if slices.ContainsFunc(js, func(j store.Jurisdiction) bool { return j.ID == id }) {
		return &Problem{Type: "/problems/conflict", Title: "Conflict", Status: http.StatusConflict, Detail: fmt.Sprintf("jurisdiction %q exists already", id)}
	}
	band := partition.Band{Min: partition.DefaultBand.Min, Max: partition.DefaultBand.Max}
	seed := uint64(1)
	for name, dst := range map[string]*int{"min": &band.Min, "max": &band.Max} {
		if raw := c.FormValue(name); raw != "" {
			n, err := strconv.Atoi(raw)
			if err != nil {
				return invalid("%s=%q is not a whole number", name, raw)
			}
			*dst = n
		}
	}
	if raw := c.FormValue("seed"); raw != "" {
		if seed, err = strconv.ParseUint(raw, 10, 64); err != nil {
			return invalid("seed=%q is not a whole number", raw)
		}
	}
	if err := band.Validate(); err != nil {
		return unprocessable(err.Error())
	}
	doPartition := c.FormValue("partition") == "true"

	dir, err := os.MkdirTemp("", "gridline-upload-")
	if err != nil {
		return err
	}
	up, err := saveUploads(c, dir)
	if err != nil {
		os.RemoveAll(dir)
		return err
	}
	if up.Boundary == "" {
		os.RemoveAll(dir)
		return unprocessable("the form needs a boundary file (GeoJSON)")
	}
	// The small files are read at once, so that a malformed one is told now
	// rather than by a failed job; the OSM extract is read by the job.
	for field, path := range map[string]string{"boundary": up.Boundary, "communities": up.Communities, "townships": up.townshipsPath} {
		if path == "" {
			continue
		}
		regions, err := datasets.ReadRegions(path)
		if field == "townships" {
			up.townships = regions
		}
		if err != nil {
			os.RemoveAll(dir)
			return unprocessable(field + ": " + strings.ReplaceAll(err.Error(), dir+string(os.PathSeparator), ""))
		}
	}
	name := c.FormValue("name")
	who := author(c)
	j := s.newJob(id)
	go func() {
		defer os.RemoveAll(dir)
		defer j.cancel()
		err := s.importJob(j, store.Import{ID: id, Name: name, Band: band, Author: who, Reason: "imported by upload"}, up, partition.Options{Band: band, Seed: seed}, doPartition)
		switch {
		case errors.Is(err, context.Canceled):
			j.finish("cancelled", "cancelled before anything was stored")
		case err != nil:
			j.finish("failed", err.Error())
		default:
			j.finish("done", "")
		}
	}()
	c.Response().Header().Set(echo.HeaderLocation, "/v1/jobs/"+j.ID)
	return c.JSON(http.StatusAccepted, j)
}

// importJob reads, builds blocks, optionally partitions, and stores.
func (s *Server) importJob(j *job, im store.Import, up uploaded, opt partition.Options, doPartition bool) error {
	ctx := j.ctx
	j.progress("reading and building blocks", 0)
	b, res, rep, err := partition.Build(ctx, up.Paths, opt, doPartition)
	if err != nil {
		return err
	}
	im.Blocks, im.Result, im.Name, im.Townships = b, res, cmp.Or(im.Name, rep.Name), up.townships
	j.mu.Lock()
	j.Problems = rep.Problems
	j.mu.Unlock()
	j.progress("storing", 90)
	if err := s.store.Import(ctx, im); err != nil {
		return err
	}
	if im.Result != nil {
		j.mu.Lock()
		j.Version = 1
		j.mu.Unlock()
	}
	j.progress("done", 100)
	return s.Reload(s.ctx)
}

// saveUploads writes the form's files into dir, keeping each file's
// extension (the readers go by it) and an SRTM tile's position, and returns
// their paths. Only dem may come as several files (tiles, joined).
func saveUploads(c echo.Context, dir string) (uploaded, error) {
	var p datasets.Paths
	var townships string
	dst := map[string]*string{
		"boundary": &p.Boundary, "osm": &p.OSM, "households": &p.Households,
		"household_areas": &p.HouseholdAreas, "units": &p.Units, "communities": &p.Communities,
		"townships": &townships,
	}
	form, err := c.MultipartForm()
	if err != nil {
		return uploaded{}, bodyError(err, "a multipart form with id and the files")
	}
	for field, files := range form.File {
		if !slices.Contains(uploadFiles, field) {
			return uploaded{}, invalid("unknown file field %q: want one of %v", field, uploadFiles)
		}
		if len(files) != 1 && field != "dem" {
			return uploaded{}, invalid("give one %s file, not %d", field, len(files))
		}
		for i, f := range files {
			name := field
			if field == "dem" {
				// A tile's name is its position; files are numbered, so
				// that two GeoTIFFs of one name do not meet.
				name += "-" + strconv.Itoa(i+1)
				if tile := datasets.SRTMTile(f.Filename); tile != "" {
					name += "-" + tile
				}
			}
			path, err := saveUpload(f, filepath.Join(dir, name+ext(f.Filename)))
			if err != nil {
				return uploaded{}, fmt.Errorf("%s: %w", field, err)
			}
			if field == "dem" {
				p.DEM = append(p.DEM, path)
			} else {
				*dst[field] = path
			}
		}
	}
	return uploaded{Paths: p, townshipsPath: townships}, nil
}

// uploaded is where an upload's files went.
type uploaded struct {
	datasets.Paths
	townshipsPath string
	townships     []datasets.Region // read when the form is checked
}

func saveUpload(fh *multipart.FileHeader, path string) (string, error) {
	in, err := fh.Open()
	if err != nil {
		return "", err
	}
	defer in.Close()
	out, err := os.Create(path)
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return "", err
	}
	return path, out.Close()
}

// ext returns a file name's extension, double ones (.osm.pbf, .hgt.zip)
// whole.
func ext(name string) string {
	e := filepath.Ext(name)
	if inner := filepath.Ext(name[:len(name)-len(e)]); inner == ".osm" || inner == ".hgt" {
		return inner + e
	}
	return e
}
