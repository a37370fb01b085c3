"""The explorer's web application (Starlette): search, entity pages with evidence, the neighbourhood graph,
reports from queries/ with CSV, and a SPARQL editor over a read-only query endpoint."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from ..errors import QueryError
from ..sparql import QueryTimeout, run_with_deadline
from ..rdf import ID
from .entity import entity_path, neighbourhood, read_entity
from .reports import Table, answer_protocol, prefix_block, reports, run_select, table_csv
from .search import ENTITY_TYPES
from .source import StoreSource, StoreUnavailable

HERE = Path(__file__).parent
REPORT_ROWS_SHOWN = 1000
QUERY_TIMEOUT = 60.0     # seconds for a query from the SPARQL page or /query (pyoxigraph cannot cancel one:
                         # it finishes in the background, as with `kg query --timeout`)


async def form_of(request: Request) -> dict[str, str]:
    """The fields of a POSTed HTML form (application/x-www-form-urlencoded), first value of each."""
    body = (await request.body()).decode("utf-8", "replace")
    return {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}


def create_app(store_dir: Path) -> Starlette:
    """The explorer over the store at STORE_DIR (read-only; a store that `kg build` replaces is reopened
    on the next request)."""
    source = StoreSource(store_dir)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals.update(entity_path=entity_path, store_dir=str(store_dir))

    def page(request: Request, name: str, status: int = 200, **context) -> Response:
        return templates.TemplateResponse(request, name, context, status_code=status)

    def home(request: Request) -> Response:
        gen = source.current()
        counts = {t: 0 for t in ENTITY_TYPES}
        for _, type_ in gen.index.labels.values():
            counts[type_] += 1
        return page(request, "home.html", counts=counts, reports=reports())

    def search(request: Request) -> Response:
        q = request.query_params.get("q", "").strip()
        hits = source.read(lambda g: g.index.search(q)) if q else []
        if request.url.path.startswith("/api/"):
            return JSONResponse([{"iri": h.iri, "label": h.label, "type": h.type, "matched": h.matched,
                                  "page": entity_path(h.iri)} for h in hits])
        return page(request, "search.html", q=q, hits=hits)

    def entity(request: Request) -> Response:
        if "path" in request.path_params:
            iri = str(ID) + request.path_params["path"]
        else:
            iri = request.query_params.get("iri", "")
        found = source.read(lambda g: read_entity(g.store, iri)) if iri else None
        if found is None:
            return page(request, "message.html", 404, title="Not found",
                        message=f"The store has nothing about {iri or 'this address'}.")
        return page(request, "entity.html", e=found)

    def graph_page(request: Request) -> Response:
        iri = request.query_params.get("iri", "")
        label = source.read(lambda g: g.index.label(iri)) or iri
        return page(request, "graph.html", iri=iri, label=label)

    def graph_api(request: Request) -> Response:
        iri = request.query_params.get("iri", "")
        if not iri:
            return JSONResponse({"error": "give ?iri=..."}, status_code=400)
        data = source.read(lambda g: neighbourhood(g.store, iri))
        for n in data["nodes"]:
            n["data"]["page"] = entity_path(n["data"]["id"])
        return JSONResponse(data)

    def report_list(request: Request) -> Response:
        return page(request, "reports.html", reports=reports())

    def report(request: Request) -> Response:
        name = request.path_params["name"]
        known = reports()
        as_csv = name.endswith(".csv")
        name = name[:-4] if as_csv else name
        if name not in known:
            return page(request, "message.html", 404, title="No such report",
                        message=f"No named query {name!r} in queries/; known: {', '.join(known)}.")
        table = source.read(lambda g: run_select(g.store, known[name].text))
        if as_csv:
            return Response(table_csv(table), media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
        return page(request, "report.html", report=known[name], table=table, shown=REPORT_ROWS_SHOWN)

    async def sparql(request: Request) -> Response:
        form = await form_of(request) if request.method == "POST" else request.query_params
        named = form.get("named", "")
        known = reports()
        query = form.get("query") or (known[named].text if named in known else prefix_block() + "\nSELECT * WHERE {\n  ?s ?p ?o\n} LIMIT 20\n")
        result, error = None, None
        if request.method == "POST" or "query" in form:
            from starlette.concurrency import run_in_threadpool
            try:
                result = await run_in_threadpool(run_with_deadline,
                                                 lambda: source.read(lambda g: run_select(g.store, query)),
                                                 QUERY_TIMEOUT)
            except QueryError as exc:
                error = str(exc)
        return page(request, "sparql.html", 400 if error else 200, query=query, reports=known, result=result,
                    error=error, is_table=isinstance(result, Table), shown=REPORT_ROWS_SHOWN,
                    prefixes=prefix_block())

    async def endpoint(request: Request) -> Response:
        """SPARQL 1.1 protocol, queries only: GET ?query=, POST form, POST application/sparql-query."""
        if request.method == "POST":
            kind = request.headers.get("content-type", "").split(";")[0].strip()
            if kind == "application/sparql-query":
                query = (await request.body()).decode("utf-8", "replace")
            elif kind == "application/sparql-update" or "update" in (form := await form_of(request)):
                return PlainTextResponse("SPARQL Update is refused: the explorer is read-only", 403)
            else:
                query = form.get("query", "")
        else:
            query = request.query_params.get("query", "")
            if "update" in request.query_params:
                return PlainTextResponse("SPARQL Update is refused: the explorer is read-only", 403)
        if not query:
            return PlainTextResponse("give a SPARQL query as ?query=...", 400)
        from starlette.concurrency import run_in_threadpool
        accept = request.headers.get("accept", "")
        try:
            body, media = await run_in_threadpool(
                run_with_deadline, lambda: source.read(lambda g: answer_protocol(g.store, query, accept)),
                QUERY_TIMEOUT)
        except QueryTimeout as exc:
            return PlainTextResponse(str(exc), 503)
        except QueryError as exc:
            status = 403 if "SERVICE" in str(exc) or "Update" in str(exc) else 400
            return PlainTextResponse(str(exc), status)
        return Response(body, media_type=media)

    async def unavailable(request: Request, exc: Exception) -> Response:
        return page(request, "message.html", 503, title="No store", message=str(exc))

    async def bad_query(request: Request, exc: Exception) -> Response:
        return page(request, "message.html", 400, title="Query refused", message=str(exc))

    def by_iri(request: Request) -> Response:
        return RedirectResponse(entity_path(request.query_params.get("iri", "")))

    routes = [
        Route("/", home),
        Route("/search", search),
        Route("/api/search", search),
        Route("/id/{path:path}", entity),
        Route("/entity", entity),
        Route("/go", by_iri),
        Route("/graph", graph_page),
        Route("/api/graph", graph_api),
        Route("/reports", report_list),
        Route("/reports/{name}", report),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/query", endpoint, methods=["GET", "POST"]),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    app = Starlette(routes=routes, exception_handlers={StoreUnavailable: unavailable, QueryError: bad_query})
    app.state.source = source
    return app

