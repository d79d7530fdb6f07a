// Package geo is gridline's geometry kernel: a local metric projection for a
// jurisdiction, conversion between orb and GEOS geometries, the planar
// arrangement (noded barrier lines polygonized into faces whose edges remember
// which barrier they lie on) and point-location indexes.
//
// Everything topological happens in projected metres; WGS84 is only the
// exchange format at the edges of the program.
package geo
