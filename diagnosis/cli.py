"""The ``diagnosis`` command.

Data commands (questionnaire, score, report, fonts, doctor, secret-key) are plain click commands
of this module: they run without the web app or a database and import only what they use
(``score`` never imports WeasyPrint, none of them imports Flask). Every other name (create-user,
seed, rescore, worker, db, run, routes, shell...) is looked up in the Flask CLI group of
``app_commands``, imported only then; ``--help`` lists both.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click


class DiagnosisGroup(click.Group):
    """This module's data commands, then the Flask CLI group's commands (imported on first use)."""

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return super().get_command(ctx, name) or self._flask(ctx).get_command(ctx, name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(self._flask(ctx).list_commands(ctx)))

    @staticmethod
    def _flask(ctx: click.Context):
        from .app_commands import flask_group, script_info

        if ctx.obj is None:
            ctx.obj = script_info()
        return flask_group


@click.group(cls=DiagnosisGroup)
def main():
    """智造诊断: intelligent-transformation diagnosis for manufacturing enterprises."""


def _library(folder: str | None):
    from .instruments import DataFileError, load_library
    try:
        return load_library(folder)
    except DataFileError as exc:
        raise click.ClickException(str(exc)) from exc


@main.command("secret-key")
@click.option("--instance", "instance_path", type=click.Path(file_okay=False),
              help="instance folder (default: the one the app uses)")
def secret_key_command(instance_path):
    """Create the random per-instance session key (instance/secret_key, mode 0600) if missing."""
    from .secret_key import create_secret, default_instance_path
    path, created = create_secret(instance_path or default_instance_path())
    click.echo(f"created {path} (mode 0600)" if created else f"{path} exists (kept: replacing it would end every session)")


@main.group(cls=click.Group)
def questionnaire():
    """List, export and check the data files in questionnaires/."""


@questionnaire.command("list")
@click.option("--dir", "folder", type=click.Path(file_okay=False), help="questionnaire folder")
def questionnaire_list(folder):
    lib = _library(folder)
    for doc in sorted(lib.documents.values(), key=lambda d: (d.kind, d.key)):
        click.echo(f"{doc.key:<20} {doc.kind:<11} {doc.version}  {doc.title}")


@questionnaire.command("export")
@click.argument("key")
@click.option("--dir", "folder", type=click.Path(file_okay=False))
def questionnaire_export(key, folder):
    from .instruments.export import export
    lib = _library(folder)
    if key not in lib:
        raise click.ClickException(f"unknown questionnaire {key!r}; known: {', '.join(sorted(lib.documents))}")
    click.echo(json.dumps(export(lib[key], lib), ensure_ascii=False, indent=2))


@questionnaire.command("check")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--dir", "folder", type=click.Path(file_okay=False))
def questionnaire_check(files, folder):
    """Validate the data files (all of the folder, plus any FILE named) and their references."""
    from .instruments import DataFileError, load_library
    try:
        lib = load_library(folder, list(files) or None)
    except DataFileError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    for doc in sorted(lib.documents.values(), key=lambda d: d.key):
        click.echo(f"ok  {doc.source}  ({doc.kind}, {doc.version})")


def _read_payload(file):
    from . import json_input
    try:
        return json_input.parse(file.read(), where="(file)")
    except json_input.JsonInputError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)


def _score_or_exit(payload, lib):
    from .scoring import ScoreInputError, score_payload
    try:
        return score_payload(payload, lib)
    except ScoreInputError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)


@main.command("score")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option("--dir", "folder", type=click.Path(file_okay=False))
def score(file, folder):
    """Score an answers FILE (JSON; '-' for stdin) and print the result as JSON."""
    lib = _library(folder)
    payload = _read_payload(file)
    if isinstance(payload, dict):        # an answers file made for ``diagnosis report``: its enterprise facts
        payload = {k: v for k, v in payload.items() if k != "enterprise"}     # do not change the scores
    click.echo(json.dumps(_score_or_exit(payload, lib), ensure_ascii=False, indent=2))


@main.command("report")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True))
@click.option("--enterprise", "enterprise_name", default=None,
              help="name printed on the report (else the file's enterprise.name; else none)")
@click.option("--dir", "folder", type=click.Path(file_okay=False))
def report(file, output, enterprise_name, folder):
    """Render the PDF report of an answers FILE, without a server or database.

    The file may carry an ``enterprise`` block (name, credit_code, area, industry, above_scale,
    contact), checked as registration checks it; what it does not give is left off the report."""
    from .reports.engine import pool
    # With a core free now, a render helper takes half of the report (decided now, before this
    # command loads the machine itself).
    two_cores = pool.second_core_idle()
    from .accounts.enterprise_block import EnterpriseError, enterprise_block
    from .reports.content.offline import offline_input
    lib = _library(folder)
    payload = _read_payload(file)
    try:
        enterprise = enterprise_block(lib, payload.get("enterprise") if isinstance(payload, dict) else None)
    except EnterpriseError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    if enterprise_name:
        enterprise["name"] = enterprise_name
    scored = {k: v for k, v in payload.items() if k != "enterprise"} if isinstance(payload, dict) else payload
    if enterprise.get("industry_code") and isinstance(scored, dict):
        if scored.get("industry") not in (None, enterprise["industry_code"]):
            click.echo("error: enterprise.industry: 与 industry 不一致", err=True)
            sys.exit(2)
        scored["industry"] = enterprise["industry_code"]
    result = _score_or_exit(scored, lib)
    started = time.perf_counter()
    from .reports.engine import compat
    from .reports.engine.render import RenderFailed, render_pdf
    compat.status()     # imports WeasyPrint and checks it, once, before the helper is forked
    import gc
    gc.freeze()     # what is loaded stays until exit: the render's collections skip it (~10% faster)
    # The helper is a fork of this single-threaded process: it has WeasyPrint and the checks
    # already, where a spawned helper imported them again on the other core at the same time,
    # and the two imports slowed each other down.
    helper = pool.start(warm=False, method="fork") if two_cores else None
    try:
        pdf = render_pdf(offline_input(lib, payload, result, enterprise), parallel=helper is not None,
                         helper_wait=pool.TIMEOUT if helper is not None else 0.0)
    except RenderFailed as exc:
        raise click.ClickException(f"the report could not be rendered: {exc}") from exc
    finally:
        pool.shutdown()
    Path(output).write_bytes(pdf)
    click.echo(f"wrote {output} ({len(pdf) / 1024:.0f} KB in {time.perf_counter() - started:.2f} s)")


@main.command("doctor")
def doctor():
    """Check the report engine against the installed WeasyPrint: each optimization on or off, and why."""
    from .reports.engine import compat, pool
    checks = compat.verify()
    for check in checks.values():
        click.echo(f"{'on ' if check.ok else 'OFF'}  {check.name:<16} {check.detail}")
    click.echo(f"{'on ' if pool.enabled() else 'OFF'}  {'render helper':<16} "
               f"{'second core used when free' if pool.enabled() else 'REPORT_PARALLEL=0 or one CPU'}")
    off = [c.name for c in checks.values() if not c.ok and c.name in compat.OPTIMIZATIONS]
    if off:
        click.echo(f"reports render correctly, more slowly without: {', '.join(off)}")


@main.group(cls=click.Group)
def fonts():
    """The report font (Noto Sans CJK SC cut down to the characters reports print)."""


@fonts.command("build")
@click.option("--force", is_flag=True, help="rebuild even if the font exists")
def fonts_build(force):
    """Build reports/assets/fonts/ZhizaoSans-Regular.otf from the installed Noto Sans CJK SC."""
    from .reports.engine import fonts as report_fonts
    if report_fonts.available() and not force:
        click.echo(f"{report_fonts.FONT_PATH} exists (--force to rebuild)")
        return
    started = time.perf_counter()
    try:
        path = report_fonts.build()
    except (FileNotFoundError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"wrote {path} ({path.stat().st_size / 1024:.0f} KB in {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
