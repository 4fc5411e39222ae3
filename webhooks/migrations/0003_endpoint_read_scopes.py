from django.db import migrations, models


def full_scopes(apps, schema_editor):
    # Endpoints registered before scopes bounded subscriptions keep receiving what
    # they received (issue 10): as if registered by a "*" key.
    apps.get_model("webhooks", "WebhookEndpoint").objects.update(read_scopes=["*"])


class Migration(migrations.Migration):
    dependencies = [
        ("webhooks", "0002_endpoints_deliveries"),
    ]

    operations = [
        migrations.AddField(
            model_name="webhookendpoint",
            name="read_scopes",
            field=models.JSONField(default=list),
        ),
        migrations.RunPython(full_scopes, migrations.RunPython.noop),
    ]
