/** The attachment parts of the page, loaded the first time a file is picked or shown. */
export { AttachTray } from '../components/attach-tray.js';
export { AttachmentList } from '../components/attachment-list.js';
export { uploadFile } from '../api/upload-file.js';
