import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samarbeid.settings")
application = get_wsgi_application()

# Load every view and API schema now (Django loads the URLconf at the first request), then
# keep the collector from walking what was loaded: it lives as long as the process, and a
# full collection over its ~300 000 objects took ~300 ms, the p95 of the national lists
# (docs/benchmarks.md, "Reading this run").
routes = len(get_resolver().url_patterns)
gc.freeze()
