from typing import Any

from django.db import migrations, models


def planned_from_queue(apps: Any, schema_editor: Any) -> None:
    """Tasks still waiting keep the time the queue was told not to run them before."""
    Job = apps.get_model("jobs", "Job")
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    waiting = Job.objects.filter(status="waiting").exclude(task_result_id="")
    for job in waiting.only("pk", "task_result_id"):
        run_after = (
            DBTaskResult.objects.filter(id=job.task_result_id)
            .values_list("run_after", flat=True)
            .first()
        )
        if run_after is not None:
            Job.objects.filter(pk=job.pk).update(run_after=run_after)


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0003_upload_and_heartbeat"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [
        migrations.AddField(
            model_name="job",
            name="run_after",
            field=models.DateTimeField(blank=True, null=True, verbose_name="planlagt"),
        ),
        migrations.RunPython(planned_from_queue, migrations.RunPython.noop),
    ]
