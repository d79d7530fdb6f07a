// Package web holds the planners' web map: a page, its script and style, and
// MapLibre GL JS copied from npm (scripts/vendor-web), all built into the
// binary so that the map needs no CDN and no npm at run time.
package web

import (
	"embed"
	"io/fs"
	"net/http"
)

//go:embed static
var static embed.FS

// Files serves the map's files (index.html, app.js, app.css, vendor/…).
// Query strings are ignored, as MapLibre's worker URL carries one.
func Files() http.Handler {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	return http.FileServerFS(sub)
}

// Index returns the map's page.
func Index() ([]byte, error) { return static.ReadFile("static/index.html") }
