// The portal's upload widget: Uppy's Dashboard over tus (`/v1/uploads`), mounted on every
// `[data-uploader]` element a page renders (the element names the work order, the endpoint,
// the accepted types and the size limit). Uppy, not a client of our own: its Dashboard gives
// each file a thumbnail, a progress bar, pause and resume and the phone's camera buttons, tus
// resumes an interrupted upload from the offset the server has, and Golden Retriever keeps the
// files of an unfinished upload in the browser (IndexedDB) across a reload, after which the
// upload goes on by itself (tus finds its upload URL in localStorage). Bundled by
// scripts/build-release.sh (esbuild) and served by the app itself.
import Uppy from '@uppy/core';
import Dashboard from '@uppy/dashboard';
import GoldenRetriever from '@uppy/golden-retriever';
import Tus from '@uppy/tus';
import '@uppy/core/dist/style.min.css';
import '@uppy/dashboard/dist/style.min.css';
import './overrides.css';

// Told to the page (its wasm lists the new file).
const UPLOADED_EVENT = 'hd-uploaded';

function mount(el) {
  el.dataset.mounted = 'true';
  const { workOrderId, endpoint, accept, maxBytes } = el.dataset;
  el.replaceChildren();
  const uppy = new Uppy({
    // One per work order: Golden Retriever restores a work order's own unfinished uploads.
    id: `work-order-${workOrderId}`,
    autoProceed: true,
    restrictions: { allowedFileTypes: accept.split(','), maxFileSize: Number(maxBytes) },
    meta: { work_order_id: workOrderId },
  })
    .use(Dashboard, {
      inline: true,
      target: el,
      width: '100%',
      height: 420,
      theme: 'light',
      showProgressDetails: true,
      showNativePhotoCameraButton: true,
      showNativeVideoCameraButton: true,
      nativeCameraFacingMode: 'environment',
      proudlyDisplayPoweredByUppy: false,
      note: 'Photos and videos of the job. Uploads resume on their own when the connection comes back.',
    })
    .use(Tus, {
      endpoint,
      // Small enough that a dropped connection on a phone loses little.
      chunkSize: 1024 * 1024,
      retryDelays: [0, 1000, 3000, 5000, 10000, 20000, 30000, 60000, 60000, 60000],
      allowedMetaFields: ['name', 'type', 'work_order_id'],
      removeFingerprintOnSuccess: true,
    })
    .use(GoldenRetriever, { serviceWorker: false });

  // The browser said it is back: pick up where each upload stopped.
  uppy.on('back-online', () => uppy.retryAll());
  // After a reload, Golden Retriever has the files back; go on without asking.
  uppy.on('restored', () => {
    const ghosts = uppy.getFiles().filter((f) => f.isGhost);
    if (ghosts.length === 0) uppy.emit('restore-confirmed');
  });
  uppy.on('upload-success', (file, response) => {
    el.dispatchEvent(new CustomEvent(UPLOADED_EVENT, { bubbles: true, detail: { url: response.uploadURL, name: file.name } }));
  });
}

function mountAll() {
  document.querySelectorAll('[data-uploader]:not([data-mounted])').forEach(mount);
}

mountAll();
// The wasm may render an uploader later (after a delivery, say).
new MutationObserver(mountAll).observe(document.body, { childList: true, subtree: true });
