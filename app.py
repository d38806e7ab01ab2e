"""Co-operations API: routes, schedules and event handlers only; everything else in chalicelib."""

from __future__ import annotations

from chalice.app import Chalice

from chalicelib.api.routes import applications, members, service

app = Chalice(app_name="coop")
app.register_blueprint(service.bp)
app.register_blueprint(applications.bp)
app.register_blueprint(members.bp)
