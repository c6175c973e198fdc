import secrets

from django.conf import settings
from django.core.management.base import BaseCommand

from accountwise.core.demo import DEMO_MEMBERS, create_demo_data
from accountwise.users.models import User


class Command(BaseCommand):
    help = (
        "On first start, create an administrator and generated demo data, and print the logins. "
        "Later runs only print the logins again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000/", help="Address to print for the web server."
        )

    def handle(self, *args, **options):
        login_file = settings.DATA_DIR / "demo-login.txt"

        if not User.objects.exists():
            password = secrets.token_urlsafe(9)
            create_demo_data(password)
            settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
            login_file.write_text(password)
            login_file.chmod(0o600)
            self.stdout.write(self.style.SUCCESS("Created the demo data."))

        if not login_file.exists():
            self.stdout.write("Users exist already; log in with your own account.")
            return

        password = login_file.read_text().strip()
        admin = User.objects.filter(username="admin").first()
        if admin is None or not admin.check_password(password):
            self.stdout.write(
                "\n  The demo administrator's password was changed after the first start; "
                "log in with the new one.\n"
            )
            return

        members = ", ".join(username for username, _, _ in DEMO_MEMBERS)
        self.stdout.write(
            "\n"
            f"  Accountwise is starting at {options['url']}\n"
            f"  Administrator: admin / {password}\n"
            f"  Key account managers ({members}) use the same password.\n"
            f"  The password is kept in {login_file}.\n"
        )
