"""``python manage.py run_action_server --port 5055``: rasa-sdk's own action server (its sanic app, routes
``/health``, ``/actions`` and ``/webhook``) serving ``chatbot.actions``, in this process, where manage.py
has already set Django up. A Rasa server's ``endpoints.yml`` points at ``http://<host>:5055/webhook``.

One process (sanic's ``single_process``): rasa-sdk's multi-worker mode spawns fresh interpreters that
would import the actions before Django is set up. Scale with more containers behind a balancer instead.
"""

from django.core.management.base import BaseCommand

ACTIONS = "chatbot.actions"


class Command(BaseCommand):
    help = "Serve Guichet's Rasa custom actions with rasa-sdk's action server."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="0.0.0.0", help="address to listen on (default 0.0.0.0)")  # noqa: S104
        parser.add_argument("--port", type=int, default=5055, help="port (default 5055, Rasa's default)")
        parser.add_argument(
            "--cors", nargs="*", default=[], help="origins allowed by CORS (default none: Rasa calls it)"
        )

    def handle(self, *args, host, port, cors, **options):
        from rasa_sdk.constants import DEFAULT_KEEP_ALIVE_TIMEOUT
        from rasa_sdk.endpoint import create_app
        from rasa_sdk.executor import ActionExecutor

        executor = ActionExecutor()
        executor.register_package(ACTIONS)
        names = sorted(executor.actions)
        self.stdout.write(f"rasa-sdk action server on http://{host}:{port}/webhook: {', '.join(names)}")
        self.stdout.flush()
        app = create_app(executor, cors_origins=cors or None)
        app.config.KEEP_ALIVE_TIMEOUT = DEFAULT_KEEP_ALIVE_TIMEOUT
        app.run(host=host, port=port, single_process=True, access_log=False, motd=False)
