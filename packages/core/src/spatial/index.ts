/** Spatial patterns for the map: contiguity weights from TopoJSON, local Gi* and Moran's I, FDR-controlled clusters. */
export { classifyHotspots, classifyMoranClusters } from './clusters.js';
export type { Hotspot, HotspotKind, MoranCluster } from './clusters.js';
export { contiguityWeights } from './contiguity.js';
export type { ContiguityOptions, ContiguityWeights } from './contiguity.js';
export { DEFAULT_FDR, benjaminiHochberg, significantAtFdr } from './false-discovery.js';
export { localGetisOrdStar } from './getis-ord.js';
export type { GetisOrdOptions, LocalGStar } from './getis-ord.js';
export { localMoran } from './local-moran.js';
export type { LocalMoran, LocalMoranOptions, MoranQuadrant } from './local-moran.js';
export { DEFAULT_PERMUTATIONS } from './permutation.js';
export type { PermutationOptions } from './permutation.js';
export { seededRandom } from './random.js';
export type { RandomSource } from './random.js';
export { centroidsOf, pointDistance } from './region-points.js';
export type { DistanceKind } from './region-points.js';
export type {
  Position,
  TopoGeometry,
  TopoGeometryCollection,
  Topology,
  TopologyTransform,
} from './topojson.js';
export {
  binaryWeights,
  isSymmetric,
  neighbourIds,
  rowStandardisedWeights,
  starWeights,
  transformWeights,
  weightsFromNeighbours,
} from './weights.js';
export type { SpatialWeights, WeightsTransform } from './weights.js';
export { analyseHotspots } from './hotspot-analysis.js';
export type { HotspotAnalysisOptions, RegionHotspot } from './hotspot-analysis.js';
export { RATE_BASE, populationFromRows, populationOf, ratePer100k } from './population.js';
export type { PopulationRow, PopulationTable } from './population.js';
export { Z_95, groupRate, rateRatio } from './rate-ratio.js';
export type { RateGroup, RateRatio } from './rate-ratio.js';
export { averageRanks, spearman } from './spearman.js';
export type { RankCorrelation } from './spearman.js';
export { TREND_MIN_ABSOLUTE_CHANGE, TREND_MIN_RELATIVE_CHANGE, slope, trendDirection } from './trend.js';
export type { TrendDirection } from './trend.js';
