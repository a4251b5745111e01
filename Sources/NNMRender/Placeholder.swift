// NNMRender module (placeholder so the package loads; replaced by real sources).
