/**
 * How many times the intake queue delivers a raw-mail notification to email intake before moving it to its
 * dead-letter queue (the redrive policy's `maxReceiveCount` in AWS; the local SMTP intake redelivers as often).
 */
export const EMAIL_INTAKE_MAX_RECEIVES = 5;
