"""The election-kg web server: reads the published files in data/dist/ and serves them.

The application factory is `server.app.create_app`. Nothing is imported here, so that the query
processes, which import `server.query_pool`, stay free of Flask and rdflib.
"""
