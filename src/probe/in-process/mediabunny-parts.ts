/** The parts of mediabunny the in-process reader uses: importing only these lets the CLI bundle keep just their code. */
export { EncodedPacketSink, FilePathSource, FLAC, Input, MATROSKA, MP3, MP4, OGG, QTFF, UrlSource, WAVE, WEBM } from 'mediabunny';
