"""Running reports: parameters, kernels, papermill rendering, the warm engine and the batch."""
