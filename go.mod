module github.com/gridline/gridline

go 1.26.8

require (
	github.com/datadog/czlib v0.0.0-20160811164712-4bc9a24e37f2 // indirect
	github.com/paulmach/orb v0.14.0 // indirect
	github.com/paulmach/osm v0.8.0 // indirect
	github.com/paulmach/protoscan v0.2.1 // indirect
	github.com/tidwall/geoindex v1.7.0 // indirect
	github.com/tidwall/rtree v1.10.0 // indirect
	github.com/twpayne/go-geos v0.20.4 // indirect
	go.mongodb.org/mongo-driver/v2 v2.5.0 // indirect
	google.golang.org/protobuf v1.27.1 // indirect
)
