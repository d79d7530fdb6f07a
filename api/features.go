package api

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gridline/gridline/store"
	"github.com/gridline/gridline/web"
	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// Paging of /collections/grids/items.
const (
	defaultLimit = 100
	maxLimit     = 1000
)

const geoJSON = "application/geo+json"

type link struct {
	Href  string `json:"href"`
	Rel   string `json:"rel"`
	Type  string `json:"type,omitempty"`
	Title string `json:"title,omitempty"`
}

// base returns the scheme and host the client used.
func base(c echo.Context) string { return c.Scheme() + "://" + c.Request().Host }

// landing answers a browser with the planners' map, and anything else with
// the OGC API landing page.
func (s *Server) landing(c echo.Context) error {
	if strings.Contains(c.Request().Header.Get(echo.HeaderAccept), "text/html") {
		page, err := web.Index()
		if err != nil {
			return err
		}
		return c.HTMLBlob(http.StatusOK, page)
	}
	b := base(c)
	return c.JSON(http.StatusOK, map[string]any{
		"title":       "gridline",
		"description": "Grids of 200–500 households, their owners and the units above them",
		"links": []link{
			{Href: b + "/", Rel: "self", Type: echo.MIMEApplicationJSON},
			{Href: b + "/conformance", Rel: "conformance", Type: echo.MIMEApplicationJSON},
			{Href: b + "/collections", Rel: "data", Type: echo.MIMEApplicationJSON},
		},
	})
}

func (s *Server) conformance(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]any{"conformsTo": []string{
		"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
		"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
	}})
}

func (s *Server) gridsDescription(c echo.Context) map[string]any {
	b := base(c)
	return map[string]any{
		"id":          "grids",
		"title":       "Grids",
		"description": "The current grids of every jurisdiction: code, households, community, area",
		"itemType":    "feature",
		"crs":         []string{"http://www.opengis.net/def/crs/OGC/1.3/CRS84"},
		"links": []link{
			{Href: b + "/collections/grids", Rel: "self", Type: echo.MIMEApplicationJSON},
			{Href: b + "/collections/grids/items", Rel: "items", Type: geoJSON},
		},
	}
}

func (s *Server) collections(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]any{
		"links":       []link{{Href: base(c) + "/collections", Rel: "self", Type: echo.MIMEApplicationJSON}},
		"collections": []any{s.gridsDescription(c)},
	})
}

func (s *Server) gridsCollection(c echo.Context) error {
	return c.JSON(http.StatusOK, s.gridsDescription(c))
}

// gridItems answers /collections/grids/items?limit=&bbox=&community=&jurisdiction=&after=,
// in code order, with a "next" link while more remain.
func (s *Server) gridItems(c echo.Context) error {
	q, err := gridQuery(c.QueryParams())
	if err != nil {
		return err
	}
	limit := q.Limit
	q.Limit++ // one more tells whether a next page exists
	ctx := c.Request().Context()
	grids, err := s.store.Grids(ctx, q)
	if err != nil {
		return err
	}
	more := len(grids) > limit
	if more {
		grids = grids[:limit]
	}
	matched, err := s.store.CountGrids(ctx, store.GridQuery{Jurisdiction: q.Jurisdiction, Community: q.Community, BBox: q.BBox})
	if err != nil {
		return err
	}
	fc := geojson.NewFeatureCollection()
	for _, g := range grids {
		fc.Append(feature(g))
	}
	self := base(c) + c.Request().URL.Path
	links := []link{{Href: self + "?" + c.QueryParams().Encode(), Rel: "self", Type: geoJSON}}
	if more {
		next := c.QueryParams()
		next.Set("after", grids[len(grids)-1].Code)
		next.Set("limit", strconv.Itoa(limit))
		links = append(links, link{Href: self + "?" + next.Encode(), Rel: "next", Type: geoJSON, Title: "next page"})
	}
	fc.ExtraMembers = geojson.Properties{"links": links, "numberMatched": matched, "numberReturned": len(grids)}
	return writeGeoJSON(c, fc)
}

func (s *Server) gridItem(c echo.Context) error {
	g, err := s.store.Grid(c.Request().Context(), c.Param("code"))
	if err != nil {
		return err
	}
	return writeGeoJSON(c, feature(g))
}

func writeGeoJSON(c echo.Context, v any) error {
	c.Response().Header().Set(echo.HeaderContentType, geoJSON)
	return c.JSON(http.StatusOK, v)
}

// feature is a grid as a GeoJSON Feature whose id is its code.
func feature(g store.Grid) *geojson.Feature {
	f := geojson.NewFeature(g.Shape)
	f.ID = g.Code
	f.Properties["code"] = g.Code
	f.Properties["households"] = g.Households
	f.Properties["community"] = g.Community
	f.Properties["jurisdiction"] = g.Jurisdiction
	f.Properties["area_m2"] = g.AreaM2
	f.Properties["version"] = g.Version
	f.Properties["blocks"] = g.Blocks
	f.Properties["in_band"] = g.InBand
	f.Properties["locked"] = g.Locked
	if g.Worker != "" {
		f.Properties["worker"] = g.Worker
	}
	if g.Exception != "" {
		f.Properties["exception"] = g.Exception
	}
	return f
}

// gridQuery reads and checks the query parameters of the items endpoint.
func gridQuery(v url.Values) (store.GridQuery, error) {
	q := store.GridQuery{Limit: defaultLimit, Jurisdiction: v.Get("jurisdiction"), Community: v.Get("community"), After: v.Get("after")}
	if raw := v.Get("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > maxLimit {
			return q, invalid("limit=%q: want a whole number from 1 to %d", raw, maxLimit)
		}
		q.Limit = n
	}
	if raw := v.Get("bbox"); raw != "" {
		parts := strings.Split(raw, ",")
		if len(parts) != 4 {
			return q, invalid("bbox=%q: want minLon,minLat,maxLon,maxLat", raw)
		}
		var f [4]float64
		for i, p := range parts {
			limit := 180.0
			if i%2 == 1 {
				limit = 90
			}
			x, err := coordinate(strings.TrimSpace(p), "bbox", limit)
			if err != nil {
				return q, invalid("bbox=%q: %v", raw, err.(*Problem).Detail)
			}
			f[i] = x
		}
		if f[0] > f[2] || f[1] > f[3] {
			return q, invalid("bbox=%q: the minimum exceeds the maximum (boxes across the antimeridian are not supported)", raw)
		}
		q.BBox = &orb.Bound{Min: orb.Point{f[0], f[1]}, Max: orb.Point{f[2], f[3]}}
	}
	return q, nil
}
