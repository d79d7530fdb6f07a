// Decodes Mapbox Vector Tiles with @mapbox/vector-tile and pbf, a decoder
// independent of gridline's encoder, and prints what the tests compare:
// per tile and layer, its version and extent, and per feature its id,
// type, properties and the signed area of each ring (loadGeometry, in tile
// units; the spec's exterior rings are positive).
import { readFileSync } from 'node:fs';
import Pbf from 'pbf';
import { VectorTile } from '@mapbox/vector-tile';

const area = (ring) => {
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    s += (ring[j].x - ring[i].x) * (ring[i].y + ring[j].y);
  }
  return s / 2;
};

const out = process.argv.slice(2).map((path) => {
  const tile = new VectorTile(new Pbf(readFileSync(path)));
  const layers = {};
  for (const [name, layer] of Object.entries(tile.layers)) {
    const features = [];
    for (let i = 0; i < layer.length; i++) {
      const f = layer.feature(i);
      features.push({ id: f.id, type: f.type, properties: f.properties, rings: f.loadGeometry().map(area) });
    }
    layers[name] = { version: layer.version, extent: layer.extent, features };
  }
  return layers;
});
process.stdout.write(JSON.stringify(out));
