/** The SQS adapters: the outbox's event publisher and the health check's queue probe. */
package dev.userservice.sqs;
