// A WebRTC audio call between the two parties of a consult, signalled over the consult socket.
export class AudioCall {
  constructor(socket, iceServers, onState) {
    this.socket = socket;
    this.iceServers = iceServers;
    this.onState = onState;
    this.pc = null;
    this.audio = new Audio();
    this.audio.autoplay = true;
  }

  async peer() {
    const pc = new RTCPeerConnection({ iceServers: this.iceServers });
    pc.onicecandidate = (e) => { if (e.candidate) this.socket.signal({ kind: "ice", candidate: e.candidate.toJSON() }); };
    pc.ontrack = (e) => { this.audio.srcObject = e.streams[0]; };
    pc.onconnectionstatechange = () => this.onState(pc.connectionState);
    this.stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    for (const track of this.stream.getTracks()) pc.addTrack(track, this.stream);
    this.pc = pc;
    return pc;
  }

  async start() {
    this.onState("calling");
    const pc = await this.peer();
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    this.socket.signal({ kind: "offer", sdp: offer.sdp });
  }

  async receive(signal) {
    if (signal.kind === "offer") {
      this.onState("ringing");
      const pc = this.pc || await this.peer();
      await pc.setRemoteDescription({ type: "offer", sdp: signal.sdp });
      const answer = await pc.createAnswer();
      await pc.setLocalDescription(answer);
      this.socket.signal({ kind: "answer", sdp: answer.sdp });
    } else if (signal.kind === "answer") {
      await this.pc?.setRemoteDescription({ type: "answer", sdp: signal.sdp });
    } else if (signal.kind === "ice") {
      await this.pc?.addIceCandidate(signal.candidate);
    } else if (signal.kind === "bye") {
      this.hangup(false);
    }
  }

  hangup(tell = true) {
    if (tell) this.socket.signal({ kind: "bye" });
    this.stream?.getTracks().forEach((t) => t.stop());
    this.pc?.close();
    this.pc = null;
    this.onState("ended");
  }
}
