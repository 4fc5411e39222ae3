import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "instantreply.settings")
_django = get_wsgi_application()

from instantreply.api.lean import LeanList  # noqa: E402 - needs the app registry
from instantreply.meta.ack import LeanAck  # noqa: E402

# Signed POSTs to /meta/webhook are acknowledged before Django's request handling
# (instantreply/meta/ack.py), unfiltered GETs of the hottest lists answered likewise
# (instantreply/api/lean.py); every other request is Django's.
application = LeanAck(LeanList(_django))
