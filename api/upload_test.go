package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gridline/gridline/internal/fixture"
	"github.com/gridline/gridline/internal/testdata"
)

// form builds a multipart body of fields and files (field → path).
func form(t *testing.T, fields map[string]string, files map[string]string) (string, []byte) {
	t.Helper()
	var list [][2]string
	for field, path := range files {
		list = append(list, [2]string{field, path})
	}
	return formFiles(t, fields, list)
}

// formFiles builds a multipart body of fields and files ({field, path}), in
// which a field may come more than once.
func formFiles(t *testing.T, fields map[string]string, files [][2]string) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	for _, fp := range files {
		w, err := mw.CreateFormFile(fp[0], filepath.Base(fp[1]))
		if err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(fp[1])
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(w, f)
		f.Close()
	}
	mw.Close()
	return mw.FormDataContentType(), buf.Bytes()
}

func upload(t *testing.T, url, key, contentType string, body []byte) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	return send(t, req, key)
}

// TestImportByUpload uploads the Camden files as `gridline import` reads
// them into an empty store: only an admin may; the job partitions and stores
// them, and the grids are served at once; a second upload of the id, and
// forms that lack what an import needs, are refused.
func TestImportByUpload(t *testing.T) {
	st, _ := fixture.TempStore(t)
	ts := serve(t, st)
	admin := key(t, st, "root", "admin")
	planner := key(t, st, "ana", "planner")
	camden := func(name string) string { return testdata.Bundled(t, "camden/"+name) }
	files := map[string]string{
		"boundary": camden("boundary.geojson"), "osm": camden("camden.osm.pbf"),
		"households": camden("households.geojson"), "communities": camden("msoa.geojson"),
	}
	broken := filepath.Join(t.TempDir(), "broken.geojson")
	os.WriteFile(broken, []byte(`{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1`), 0o644)
	ct, body := form(t, map[string]string{"id": "camden", "partition": "true"}, files)
	url := ts.URL + "/v1/jurisdictions"

	resp, out := upload(t, url, planner, ct, body)
	checkProblem(t, resp, out, 403, "admin")
	resp, out = upload(t, url, admin, ct, body)
	if resp.StatusCode != 202 {
		t.Fatalf("upload: %d %s", resp.StatusCode, out)
	}
	if j := waitJob(t, ts.URL+resp.Header.Get("Location")); j.State != "done" || j.Version != 1 {
		t.Fatalf("upload job: %+v", j)
	}
	var page struct{ NumberMatched int }
	_, out = get(t, ts.URL+"/collections/grids/items?limit=1")
	if json.Unmarshal(out, &page); page.NumberMatched != len(fixture.Camden(t).Grids) {
		t.Errorf("%d grids served after the upload, want %d", page.NumberMatched, len(fixture.Camden(t).Grids))
	}
	var j struct{ ID, Name string }
	if _, out = get(t, url+"/camden"); json.Unmarshal(out, &j) != nil || j.Name != "London Borough of Camden" {
		t.Errorf("jurisdiction: %s", out)
	}

	// Keys: an admin adds one; a planner may not.
	resp, out = do(t, "POST", ts.URL+"/v1/keys", admin, "", `{"name": "case-router", "role": "reader"}`)
	var k struct{ Token string }
	if json.Unmarshal(out, &k); resp.StatusCode != 201 || len(k.Token) < 20 {
		t.Errorf("new key: %d %s", resp.StatusCode, out)
	}
	resp, out = do(t, "POST", ts.URL+"/v1/keys", planner, "", `{"name": "x", "role": "admin"}`)
	checkProblem(t, resp, out, 403, "admin")
	resp, out = do(t, "POST", ts.URL+"/v1/keys", admin, "", `{"name": "x", "role": "emperor"}`)
	checkProblem(t, resp, out, 422, "role")

	// An SRTM tile keeps its name, which is its position, once uploaded: a
	// tile of the Pyrenees is read, and refused as not covering Camden. So
	// are two GeoTIFF tiles of it, both read.
	fixture := func(name string) string { return filepath.Join(testdata.Root(t), "datasets/testdata", name) }
	for _, tc := range []struct {
		dems []string
		want string
	}{
		{[]string{testdata.Shared(t, "andorra/N42E001.hgt.zip")}, "N42E001.hgt.zip covers 1..2°E, 42..43°N: not the boundary"},
		{[]string{fixture("andorra-west.tif"), fixture("andorra-east.tif")}, "none of the 2 DEM files reaches"},
	} {
		var list [][2]string
		for k, v := range files {
			list = append(list, [2]string{k, v})
		}
		for _, d := range tc.dems {
			list = append(list, [2]string{"dem", d})
		}
		ct, body = formFiles(t, map[string]string{"id": "camden-terrain", "partition": "true"}, list)
		if resp, out = upload(t, url, admin, ct, body); resp.StatusCode != 202 {
			t.Fatalf("upload with a DEM: %d %s", resp.StatusCode, out)
		}
		if j := waitJob(t, ts.URL+resp.Header.Get("Location")); j.State != "failed" || !strings.Contains(j.Error, tc.want) {
			t.Errorf("upload with terrain of elsewhere: %+v, want %q", j, tc.want)
		}
	}

	for _, tc := range []struct {
		name   string
		fields map[string]string
		files  map[string]string
		status int
		want   string
	}{
		{"no id", map[string]string{}, files, 422, "id"},
		{"no boundary", map[string]string{"id": "x"}, map[string]string{"osm": files["osm"]}, 422, "boundary"},
		{"id exists", map[string]string{"id": "camden"}, files, 409, "exists"},
		{"bad band", map[string]string{"id": "y", "min": "500", "max": "200"}, files, 422, "below"},
		{"unknown file", map[string]string{"id": "z"}, map[string]string{"picture": files["boundary"]}, 400, "unknown file field"},
		{"malformed boundary", map[string]string{"id": "w"}, map[string]string{"boundary": broken}, 422, "boundary"},
		{"points as communities", map[string]string{"id": "v"}, map[string]string{"boundary": files["boundary"], "communities": files["households"]}, 422, "communities"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ct, body := form(t, tc.fields, tc.files)
			resp, out := upload(t, url, admin, ct, body)
			checkProblem(t, resp, out, tc.status, tc.want)
		})
	}
}
