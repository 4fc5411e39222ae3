import os

import requests

BASE_URL = "__BASE_URL__"
session = requests.Session()
session.headers["Authorization"] = f"Bearer {os.environ['INSTANTREPLY_API_KEY']}"

data = session.get(f"{BASE_URL}/v1/developer/capabilities", timeout=10).json()["data"]
print(data["key"]["mode"], data["workspace"]["id"], ",".join(data["scopes"]))
