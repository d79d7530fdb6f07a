package datasets

// Class is what a barrier line is on the ground. Classes are ordered from the
// weakest to the strongest: where two lines run together, the stronger one
// names the edge, and grid boundaries prefer the strong ones.
type Class int8

const (
	// ClassNone marks lines that are no feature on the ground: cuts that split
	// an oversized block between its buildings, or that follow a community's
	// line across a block.
	ClassNone Class = iota + 1
	ClassCommunity
	ClassPath      // footways, paths, cycleways, steps, tracks, service roads and alleys
	ClassStream    // streams, drains, ditches
	ClassStreet    // residential, unclassified, living and pedestrian streets
	ClassTertiary  // tertiary roads: local distributors, stronger than a street, not a main road
	ClassSecondary // secondary roads
	ClassPrimary   // motorways, trunk and primary roads
	ClassRailway
	ClassRidge // natural ridges, aretes, cliffs and terrain divides
	ClassRiver // rivers, canals, coastline
	ClassBoundary
)

var classNames = map[Class]string{
	ClassNone: "none", ClassCommunity: "community", ClassPath: "path", ClassStream: "stream",
	ClassStreet: "street", ClassTertiary: "tertiary", ClassSecondary: "secondary", ClassPrimary: "primary",
	ClassRailway: "railway", ClassRidge: "ridge", ClassRiver: "river", ClassBoundary: "boundary",
}

// ParseClass returns the class named s (as String writes it).
func ParseClass(s string) (Class, bool) {
	for c, name := range classNames {
		if name == s {
			return c, true
		}
	}
	return 0, false
}

func (c Class) String() string {
	if s, ok := classNames[c]; ok {
		return s
	}
	return "unknown"
}

// IsFeature reports whether the class is something people see on the ground
// (a street, a waterway, a railway, a ridge).
func (c Class) IsFeature() bool { return c >= ClassPath && c <= ClassRiver }

// IsMajor reports whether the class is one of the features that a grid should
// never straddle: rivers, canals, railways, primary and secondary roads.
func (c Class) IsMajor() bool {
	return c == ClassRiver || c == ClassRailway || c == ClassPrimary || c == ClassSecondary
}
