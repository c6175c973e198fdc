from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

CURRENCY_CHOICES = [
    ("USD", "US dollar (USD)"),
    ("EUR", "Euro (EUR)"),
    ("GBP", "Pound sterling (GBP)"),
    ("CHF", "Swiss franc (CHF)"),
    ("CAD", "Canadian dollar (CAD)"),
    ("AUD", "Australian dollar (AUD)"),
    ("JPY", "Japanese yen (JPY)"),
    ("SEK", "Swedish krona (SEK)"),
    ("NOK", "Norwegian krone (NOK)"),
    ("DKK", "Danish krone (DKK)"),
    ("PLN", "Polish złoty (PLN)"),
    ("INR", "Indian rupee (INR)"),
    ("BRL", "Brazilian real (BRL)"),
    ("ZAR", "South African rand (ZAR)"),
]


class AccountVisibility(models.TextChoices):
    EVERYONE = "everyone", "Every user sees every account"
    TEAM = "team", "Only the account team and administrators see an account"


class Organisation(models.Model):
    """The one organisation this installation serves; there is exactly one row."""

    name = models.CharField(max_length=200, default="My organisation")
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, default="USD")
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="Month in which the fiscal year starts (1 = January).",
    )
    document_links_known_providers_only = models.BooleanField(
        "Allow document links to Google Drive, SharePoint and OneDrive only",
        default=False,
        help_text="When off, links to other https sites are accepted too, with a generic label.",
    )
    account_visibility = models.CharField(
        "Account visibility",
        max_length=20,
        choices=AccountVisibility.choices,
        default=AccountVisibility.EVERYONE,
        help_text="With team only, a user who is neither the owner nor a team member of an account "
        "does not see it, nor its contacts, contracts, opportunities, plans and documents, anywhere: "
        "lists, totals, search, exports, reports and the API.",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fiscal_year_start_month__gte=1, fiscal_year_start_month__lte=12),
                name="organisation_fiscal_month_range",
            ),
            models.CheckConstraint(
                condition=models.Q(account_visibility__in=AccountVisibility.values),
                name="organisation_account_visibility_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def get(cls) -> "Organisation":
        organisation, _ = cls.objects.get_or_create(pk=1)
        return organisation
