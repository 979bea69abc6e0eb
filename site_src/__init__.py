"""researchmap: a static-site generator for research maps."""

__version__ = "0.1.0"

import os as _os

# OpenMP worker threads (scikit-learn, BLAS) spin for a while after each parallel region and
# would steal the second core from the render worker; let them sleep instead.
_os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
