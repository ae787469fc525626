"""Commands that need the app and its database, and the Flask CLI group that finds them.

``diagnosis.cli`` looks up here every name that is not one of its data commands, so Flask (and the
app, for its commands) is imported only for these. ``register`` adds them to ``app.cli`` too, so
``flask --app diagnosis`` has them (Flask-Migrate adds ``db`` itself).
"""
from __future__ import annotations

import time

import click
from flask.cli import FlaskGroup, ScriptInfo, with_appcontext


def _create_app():
    from . import create_app
    from .secret_key import InsecureSecretKey
    try:
        return create_app()
    except InsecureSecretKey as exc:
        raise click.ClickException(str(exc)) from None


class _AppGroup(FlaskGroup):
    """Flask's CLI group, which looks up its own commands before loading every installed
    plugin's (Flask-Limiter's ``limiter`` group imports the limits library, 0.1 s)."""

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return click.Group.get_command(self, ctx, name) or super().get_command(ctx, name)


flask_group = _AppGroup(create_app=_create_app, add_version_option=False, load_dotenv=False)


def script_info() -> ScriptInfo:
    """What ``FlaskGroup.make_context`` gives its commands: how to create the app."""
    import os

    os.environ["FLASK_RUN_FROM_CLI"] = "true"
    return ScriptInfo(create_app=_create_app, set_debug_flag=True, load_dotenv_defaults=False)


@click.command("create-user")
@click.option("--role", required=True, type=click.Choice(["enterprise", "provider", "bureau", "admin"]))
@click.option("--email", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--name", default="")
@click.option("--organization", default="", help="provider company or bureau name")
@click.option("--area", "area_code", default=None, help="bureau scope: an area code of areas.yaml (default: whole city)")
@click.option("--enterprise-code", default=None, help="enterprise role: the enterprise's credit code")
@with_appcontext
def create_user_command(role, email, password, name, organization, area_code, enterprise_code):
    """Create a provider, bureau, admin (or extra enterprise) account."""
    from sqlalchemy import select
    from .accounts.models import Enterprise, Role
    from .accounts.services import AccountError, create_user
    from .extensions import db
    from .reference.models import Area
    area = enterprise = None
    if area_code:
        area = db.session.scalar(select(Area).filter_by(code=area_code))
        if area is None:
            raise click.ClickException(f"unknown area {area_code!r} (run `diagnosis seed` first?)")
    if enterprise_code:
        enterprise = db.session.scalar(select(Enterprise).filter_by(credit_code=enterprise_code.upper()))
        if enterprise is None:
            raise click.ClickException(f"no enterprise with credit code {enterprise_code!r}")
    try:
        user = create_user(email, password, Role(role), name=name, organization=organization, area=area,
                           enterprise=enterprise)
    except AccountError as exc:
        raise click.ClickException(f"{exc.field}: {exc.message}") from exc
    scope = f", scope {area.name}" if area else (", whole city" if role == "bureau" else "")
    click.echo(f"created {user.role.value} {user.email}{scope}")


@click.command("seed")
@click.option("--no-demo", is_flag=True, help="reference data only, no demo accounts")
@with_appcontext
def seed(no_demo):
    """Load reference data (areas, industries) and the demo accounts. Safe to run again."""
    from . import catalog
    from .demo import ensure_demo
    from .reference.services import load_reference_data
    changed = load_reference_data(catalog.library())
    click.echo(f"reference data: {changed['areas']} areas and {changed['industries']} industries added or updated")
    if not no_demo:
        for line in ensure_demo():
            click.echo(line)


@click.command("rescore")
@click.option("--batch", default=1000, show_default=True)
@click.option("--workers", default=None, type=int, help="processes (default: one per CPU core)")
@with_appcontext
def rescore_command(batch, workers):
    """Score every submitted diagnosis with the current engine and rules; adds results that changed."""
    import os
    from .assessments.rescoring import rescore_all
    started = time.perf_counter()
    seen, added = rescore_all(batch, workers or len(os.sched_getaffinity(0)))
    elapsed = time.perf_counter() - started
    click.echo(f"rescored {seen} diagnoses in {elapsed:.1f} s ({seen / elapsed if elapsed else 0:.0f}/s); {added} new results")
    if added:
        from .bureau.summary import rebuild_summaries
        click.echo(f"bureau summaries rebuilt: {rebuild_summaries()} rows")


@click.command("rebuild-summary")
@with_appcontext
def rebuild_summary_command():
    """Recompute the bureau's per-submission summary rows (run once after upgrading to 0010)."""
    from .bureau.summary import rebuild_summaries
    click.echo(f"bureau summaries rebuilt: {rebuild_summaries()} rows")


@click.command("worker")
@click.option("--burst", is_flag=True, help="stop when the queue is empty")
@with_appcontext
def worker(burst):
    """Run an RQ worker for background report rendering (needs REDIS_URL)."""
    from flask import current_app
    from redis import Redis
    from rq import Queue, SimpleWorker
    from .reports.web.jobs import QUEUE
    url = current_app.config.get("REDIS_URL")
    if not url:
        raise click.ClickException("REDIS_URL is not set")
    from .reports.engine import compat
    click.echo(f"report engine: {compat.summary()}")
    conn = Redis.from_url(url)
    import gc
    gc.freeze()     # the app and libraries stay loaded: the renders' collections skip them
    # The scheduler runs the retries of failed renders (jobs.RETRY_DELAYS).
    SimpleWorker([Queue(QUEUE, connection=conn)], connection=conn).work(burst=burst, with_scheduler=True)


APP_COMMANDS = (create_user_command, seed, rescore_command, rebuild_summary_command, worker)


def register(app) -> None:
    """Commands that need the app and its database (Flask-Migrate adds ``db`` itself)."""
    for command in APP_COMMANDS:
        app.cli.add_command(command)
