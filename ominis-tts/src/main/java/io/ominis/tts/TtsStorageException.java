package io.ominis.tts;

/** The audio cache's directory could not be read or written (disk full, permissions, a missing mount). */
public class TtsStorageException extends TtsException {
    private static final long serialVersionUID = 1L;

    public TtsStorageException(String ivrName, String message, Throwable cause) {
        super(ivrName, 0, message, cause);
    }
}
