def test_health_reports_the_built_data_version(built, live_server):
    import json

    import requests

    manifest = json.loads((built.dist / "manifest.json").read_text())
    answer = requests.get(live_server.url + "/health", timeout=5)
    assert answer.status_code == 200
    assert answer.json()["dataVersion"] == manifest["dataVersion"]
