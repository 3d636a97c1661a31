/**
 * The kernels of the functions no HTTP request reaches: {@link dev.userservice.triggers.QueueFunction} for SQS
 * consumers, {@link dev.userservice.triggers.StreamFunction} for DynamoDB stream consumers and
 * {@link dev.userservice.triggers.InvokedFunction} for functions invoked directly (operators, schedules, Secrets
 * Manager). Each reads Lambda's event once, calls the handler's callback, maps failures the one way, logs, and
 * answers; handlers name only their own work. Like {@code http}, this package knows no domain.
 */
package dev.userservice.triggers;
