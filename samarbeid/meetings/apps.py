from samarbeid.core import domain


class MeetingsConfig(domain.DomainConfig):
    """An arena's bodies, their meetings, the notice with its agenda, the documents and the
    minutes."""

    name = "samarbeid.meetings"
    label = "meetings"
    verbose_name = "Møter"
