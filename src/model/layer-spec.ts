/**
 * One layer as the config (or a converted model file) describes it: a tfjs-layers type in
 * camelCase plus that layer's tfjs config. Plain data, free of tfjs, so the config lint can read it.
 */
export interface LayerSpec {
  type: string;
  [key: string]: unknown;
}
