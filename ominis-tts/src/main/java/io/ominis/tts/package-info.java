/**
 * Text-to-speech for IVR prompts. {@link io.ominis.tts.SpeechProvider} is the engine seam and
 * {@link io.ominis.tts.OpenAiSpeechProvider} the OpenAI implementation; {@link io.ominis.tts.PromptCache} keeps the
 * audio content-addressed by {@link io.ominis.tts.PromptKey}, as files on disk with one {@code ivr_tts_cache} row
 * each; {@link io.ominis.tts.TtsSettings} reads the configuration from the environment. Everything thrown on purpose
 * is a {@link io.ominis.tts.TtsException} (or a database exception of {@code io.ominis.core}).
 */
package io.ominis.tts;
