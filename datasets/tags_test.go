package datasets

import (
	"strings"

	"github.com/paulmach/osm"
)

// parseTags turns "k=v k2=v2" into tags.
func parseTags(s string) osm.Tags {
	var t osm.Tags
	for _, kv := range strings.Fields(s) {
		k, v, _ := strings.Cut(kv, "=")
		t = append(t, osm.Tag{Key: k, Value: v})
	}
	return t
}
