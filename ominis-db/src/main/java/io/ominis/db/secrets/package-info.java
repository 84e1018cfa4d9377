/**
 * Secrets at rest: {@link io.ominis.db.secrets.SecretBox} seals values with AES-256-GCM under the deployment's
 * {@code OMINIS_SECRET_KEY}; {@link io.ominis.db.secrets.IvrApiKeys} applies it to the OpenAI keys of IVRs.
 */
package io.ominis.db.secrets;
