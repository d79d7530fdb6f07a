package geo

import "fmt"

// Recover turns a panic raised by GEOS (go-geos reports GEOS exceptions, such
// as a TopologyException, by panicking) into an error. Use it deferred in
// every exported function that calls GEOS on user data:
//
//	func F() (err error) { defer geo.Recover(&err); ... }
func Recover(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("geometry engine: %v", r)
	}
}
