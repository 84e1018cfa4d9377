/** Implementation details of the TTS module: header parsing, secret redaction, the cache's file layout. Not API. */
package io.ominis.tts.internal;
