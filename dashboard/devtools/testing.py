"""Calling Dash callbacks over HTTP, as the browser does, without a browser.

Used by the tests and by the benchmark: both POST to ``/_dash-update-component``
through Flask's test client, so routing, translations and the database are exercised.
"""
from __future__ import annotations

import json
from typing import Any

from flask.testing import FlaskClient


class DashClient:
    def __init__(self, client: FlaskClient, send_csrf: bool = True):
        self.client = client
        self.send_csrf = send_csrf
        self._dependencies: list[dict] | None = None

    @classmethod
    def in_language(cls, app, lang: str) -> DashClient:
        """A client of ``app`` whose language cookie is set to ``lang``."""
        client = app.test_client()
        client.get(f"/?lang={lang}")
        return cls(client)

    @property
    def dependencies(self) -> list[dict]:
        if self._dependencies is None:
            response = self.client.get("/_dash-dependencies")
            assert response.status_code == 200, response.status_code
            self._dependencies = response.get_json()
        return self._dependencies

    def dependency(self, output: str) -> dict:
        """The callback whose output list contains ``output`` ("component.prop"), or whose
        whole output is ``output`` (as ``/_dash-dependencies`` spells it)."""
        for dep in self.dependencies:
            if dep.get("clientside_function"):
                continue
            if dep["output"] == output:
                return dep
            outputs = [o.split("@")[0] for o in dep["output"].strip(".").split("...")]
            if output in outputs:
                return dep
        raise KeyError(f"no server callback outputs {output}")

    def grid_rows(self, grid: str, state: dict[str, Any] | None = None, page: int = 100) -> list[dict]:
        """Every row of an infinite-model grid, asked for a page at a time as the grid asks."""
        rows: list[dict] = []
        while True:
            request = {"startRow": len(rows), "endRow": len(rows) + page, "sortModel": [], "filterModel": {}}
            response = self.call(f"{grid}.getRowsResponse", {f"{grid}.getRowsRequest": request}, state)
            assert response.status_code == 200, response.data[:300]
            answer = response.get_json()["response"][grid]["getRowsResponse"]
            rows += answer["rowData"]
            if not answer["rowData"] or len(rows) >= answer["rowCount"]:
                return rows

    def call(self, output: str, inputs: dict[str, Any], state: dict[str, Any] | None = None,
             changed: list[str] | None = None):
        """POST one callback; ``inputs`` maps "component.prop" to values.

        Returns the Flask response; ``.get_json()["response"]`` holds the outputs.
        """
        dep = self.dependency(output)
        state = state or {}

        def spec(item: dict, values: dict):
            key = f"{item['id']}.{item['property']}"
            if item["id"].startswith("{"):
                # A pattern-matching dependency: the caller gives the renderer's entries
                # (a list of {id, property, value} for ALL); none given is an empty ALL.
                return values.get(key, [])
            return {"id": item["id"], "property": item["property"], "value": values.get(key)}

        outputs = []
        for text in dep["output"].strip(".").split("..."):
            component, prop = text.split("@")[0].rsplit(".", 1)
            outputs.append({"id": component, "property": prop})
        payload = {
            "output": dep["output"],
            "outputs": outputs if len(outputs) > 1 else outputs[0],
            "inputs": [spec(i, inputs) for i in dep["inputs"]],
            "state": [spec(s, state) for s in dep["state"]],
            "changedPropIds": changed if changed is not None else list(inputs),
        }
        return self.client.post(
            "/_dash-update-component",
            data=json.dumps(payload),
            content_type="application/json",
            headers={"X-CSRFToken": self.csrf_token()} if self.send_csrf else {},
        )

    def csrf_token(self) -> str:
        """The token the Dash renderer would send: the ``_csrf_token`` cookie of a page load."""
        cookie = self.client.get_cookie("_csrf_token")
        if cookie is None:
            self.client.get("/healthz")
            cookie = self.client.get_cookie("_csrf_token")
        return cookie.value if cookie else ""

    def page(self, pathname: str, search: str = ""):
        """Render a page's layout the way Dash's router does; returns the JSON outputs."""
        response = self.call(
            "_pages_content.children",
            {"_pages_location.pathname": pathname, "_pages_location.search": search},
        )
        return response

    @staticmethod
    def components(tree: Any, match=lambda node: True) -> list[dict]:
        """Serialized components of ``tree``, depth first, for which ``match(node)`` holds."""
        found: list[dict] = []

        def walk(node: Any) -> None:
            if isinstance(node, list):
                for child in node:
                    walk(child)
            elif isinstance(node, dict):
                props = node.get("props")
                if isinstance(props, dict):
                    if match(node):
                        found.append(node)
                    for value in props.values():
                        walk(value)
                else:
                    for value in node.values():
                        walk(value)

        walk(tree)
        return found

    @classmethod
    def props_by_id(cls, tree: Any) -> dict[str, dict]:
        """The props of every component with a text id in a serialized tree."""
        found: dict[str, dict] = {}
        for node in cls.components(tree, lambda n: isinstance(n["props"].get("id"), str)):
            found.setdefault(node["props"]["id"], node["props"])
        return found

    @classmethod
    def find(cls, tree: Any, component_id: str) -> dict | None:
        """The props of the component with this id in a serialized tree."""
        return cls.props_by_id(tree).get(component_id)

    @staticmethod
    def text_of(component: Any) -> str:
        """All the text inside a serialized component tree, for assertions."""
        parts: list[str] = []

        def walk(node: Any) -> None:
            if isinstance(node, str):
                parts.append(node)
            elif isinstance(node, (int, float)) and not isinstance(node, bool):
                parts.append(str(node))
            elif isinstance(node, list):
                for child in node:
                    walk(child)
            elif isinstance(node, dict):
                if "props" in node:
                    walk(node["props"].get("children"))
                    for key in ("figure", "rowData", "options", "label", "title", "aria-label"):
                        if key in node["props"]:
                            walk(json.dumps(node["props"][key], ensure_ascii=False))
                else:
                    for value in node.values():
                        walk(value)

        walk(component)
        return " ".join(parts)
