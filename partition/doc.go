// Package partition divides a jurisdiction into grids of whole blocks.
//
// Blocks are the faces of the barrier network (streets, waterways, railways,
// ridges) cut to the jurisdiction; a grid is a set of blocks, so grids can have
// no gap and no overlap by construction, and a grid's outline is made of block
// edges that neighbours share vertex for vertex.
//
// Solve cuts spanning trees of each community's block graph exactly, by
// dynamic programming over the tree, so that every piece holds between Min and
// Max households at the least cost of boundary (cheap along rivers, railways,
// ridges and main roads, dear across open ground), keeps the best of several
// trees, and polishes it by moving boundary blocks between neighbours. What
// cannot be satisfied is reported with where and why, not hidden.
package partition
