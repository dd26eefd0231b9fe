"""Scheduled briefings: Temporal Schedules that start a BriefingWorkflow on chosen days."""
