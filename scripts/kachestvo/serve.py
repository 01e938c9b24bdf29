"""`kachestvo serve`: build, serve site/ locally, rebuild and reload the browser when data, content or templates change.

A rebuild that fails (invalid data) prints the report and keeps serving the previous site.
"""

from __future__ import annotations

from kachestvo.build import BuildFailed, build
from kachestvo.paths import TEMPLATES_DIR, Project


def server(project: Project, host: str, port: int):
    from mkdocs.livereload import LiveReloadServer

    def rebuild() -> None:
        try:
            build(project, log=print)
        except BuildFailed as exc:
            print(exc)

    rebuild()
    srv = LiveReloadServer(builder=rebuild, host=host, port=port, root=str(project.site))
    for path in (project.data, project.content, project.mkdocs_yml, TEMPLATES_DIR):
        if path.exists():
            srv.watch(str(path))
    return srv


def serve(project: Project, dev_addr: str) -> int:
    host, _, port = dev_addr.rpartition(":")
    srv = server(project, host or "127.0.0.1", int(port))
    print(f"Предпросмотр: http://{dev_addr}/ — правки в data/, content/ и шаблонах пересобирают сайт. Ctrl+C — выход.")
    try:
        srv.serve()
    except KeyboardInterrupt:
        print("Остановлено.")
    finally:
        srv.shutdown()
    return 0
