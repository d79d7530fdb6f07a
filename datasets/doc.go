// Package datasets reads what gridline partitions: jurisdiction and community
// outlines and household counts (GeoJSON), OpenStreetMap extracts (barrier
// lines and buildings), and terrain (SRTM tiles, GeoTIFF). Readers check
// their input and say which file and which feature is wrong; they never
// panic on bad bytes.
//
// All coordinates returned are WGS84 longitude/latitude.
package datasets
