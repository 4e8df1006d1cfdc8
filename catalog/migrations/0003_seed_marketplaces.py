from django.db import migrations

# A frozen copy of catalog.marketplaces.SEED as of this migration.
MARKETPLACES = (
    ("nl", "Netherlands", "amazon.nl", "nl", "nl-NL", "EUR", "Europe/Amsterdam"),
    ("de", "Germany", "amazon.de", "de", "de-DE", "EUR", "Europe/Berlin"),
    ("fr", "France", "amazon.fr", "fr", "fr-FR", "EUR", "Europe/Paris"),
    ("es", "Spain", "amazon.es", "es", "es-ES", "EUR", "Europe/Madrid"),
    ("it", "Italy", "amazon.it", "it", "it-IT", "EUR", "Europe/Rome"),
    ("ie", "Ireland", "amazon.ie", "en", "en-IE", "EUR", "Europe/Dublin"),
    ("uk", "United Kingdom", "amazon.co.uk", "en", "en-GB", "GBP", "Europe/London"),
    ("us", "United States", "amazon.com", "en", "en-US", "USD", "America/New_York"),
)


def seed(apps, schema_editor):
    Marketplace = apps.get_model("catalog", "Marketplace")
    for code, name, domain, language, locale, currency, time_zone in MARKETPLACES:
        Marketplace.objects.using(schema_editor.connection.alias).get_or_create(
            code=code, defaults={"name": name, "domain": domain, "language": language,
                                 "locale": locale, "currency": currency,
                                 "time_zone": time_zone})


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_marketplaces_prices_user_preferences")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
