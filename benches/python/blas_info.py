"""The BLAS/OpenMP kernels numpy and scipy load here, as threadpoolctl reports them (JSON)."""

import json

import numpy  # noqa: F401  (loads its BLAS)
import scipy.linalg  # noqa: F401
import sklearn  # noqa: F401
from threadpoolctl import threadpool_info

keep = ("user_api", "internal_api", "prefix", "version", "architecture", "threading_layer", "num_threads")
print(json.dumps([{k: v for k, v in lib.items() if k in keep} for lib in threadpool_info()]))
