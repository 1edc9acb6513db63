"""`tidings serve`: the REST API and the web pages over a store, with uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    from tidings.cli import DbOption

    @app.command()
    def serve(
        db: DbOption = None,
        host: Annotated[str, typer.Option(help="Address to listen on; 0.0.0.0 for every interface.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
        token: Annotated[str | None, typer.Option(
            envvar="TIDINGS_TOKEN", help="Bearer token that writes need (POST /api/articles, an editor's merge and "
            "move, and the event pages' corrections); without one, writes are refused.", show_default=False)] = None,
    ) -> None:
        """Serve the web pages (/) and the REST API (/api, docs at /docs) over a store.

        Example: TIDINGS_TOKEN=secret tidings serve --db news.db --port 8000
        """
        import uvicorn

        from tidings.api import Tidings
        from tidings.cli import fail
        from tidings.store import StoreError
        from tidings.web import create_app

        try:
            # A new store only where this server can fill it (posted articles need the token): a mistyped --db is
            # named, not served empty.
            web = create_app(token=token, tidings=Tidings(db, create=bool(token)))
        except (StoreError, ValueError) as exc:
            fail(str(exc) + ("" if token else " (with a token the server starts one, for articles posted to it)"))
        typer.echo(f"tidings on http://{host}:{port}/  (API docs: /docs; writes "
                   f"{'need the token' if token else 'disabled: set TIDINGS_TOKEN'})", err=True)
        uvicorn.run(web, host=host, port=port, log_level="info")
